"""Which clauses deny a topic, and a message read without them."""

from __future__ import annotations

import pytest

from bot.denying import clauses, denies, tells_done, undenied


@pytest.mark.parametrize(
    ("clause", "denying"),
    [
        ("不是密码的问题", True),
        ("我没有要投诉的意思", True),
        ("没有别的意思", True),
        ("I don't mean to complain", True),
        ("not trying to be difficult", True),
        ("no intention of cancelling", True),
        ("no need to reset it", True),
        ("I'm done", False),
        ("退款一直没要到", False),  # not getting the refund is the problem itself
        ("这服务真没意思", False),
        ("I never got the reset email", False),
        # a topic already dealt with: what the customer asks comes after it
        ("I reset my password fine", True),
        ("changed the address successfully", True),
        ("密码重置好了", True),
        ("找回成功了", True),
        ("reset my password please", False),
        ("I reset my password but it still fails", False),
        ("密码重置不了", False),
        ("重置好麻烦", False),
        # a change already made, after which something else happened: the topic is what follows
        ("after I changed my password all my saved addresses vanished", True),
        ("after resetting the app my basket was empty", True),
        ("改完密码以后积分没了", True),
        ("我重置完之后订单记录不见了", True),
        ("I changed my password after the alert", False),
        ("I can't log in after the update", False),
        ("密码改不了以后怎么办", False),
        # "I know my password" in Chinese, as "i know my" in English; forgetting it denies nothing
        ("登录密码我记得", True),
        ("我记得密码", True),
        ("密码我还记得", True),
        ("我不记得密码了", False),
        ("密码记不得了", False),
    ],
)
def test_a_clause_denies_a_topic_by_its_construction(clause: str, denying: bool) -> None:
    assert denies(clause) is denying


def test_a_message_read_without_its_denying_clauses() -> None:
    assert undenied("我没有要投诉的意思，就是问一下什么时候发货") == "就是问一下什么时候发货"
    assert undenied("not trying to complain, but this is the third time") == "this is the third time"
    assert undenied("third time asking!!") == "third time asking!!"  # nothing denied: the text as it is
    assert undenied("不是密码的问题") == ""
    assert undenied("I reset my password fine, now where's my order") == "now where's my order"
    assert undenied("密码重置好了，现在想问下我的订单到哪了") == "现在想问下我的订单到哪了"
    assert clauses("a, b but c") == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("clause", "done"),
    [
        ("I reset my password yesterday", True),
        ("we changed our password last week", True),
        ("just updated my password", True),
        ("昨天重置了密码", True),
        ("我已经改了密码", True),
        # a request, or a change that is itself the problem: not a change told in passing
        ("reset my password", False),
        ("please reset my password", False),
        ("I reset my password yesterday and now I can't log in", False),
        ("I changed my password but it still fails", False),
        ("重置密码", False),
        ("密码被改了", False),
    ],
)
def test_a_clause_tells_of_a_password_change_already_made(clause: str, done: bool) -> None:
    assert tells_done(clause) is done
