"""Word and face ratings: the phrases, what a subject, negation, softener or intensifier does to them,
and the replies that stay no rating. Cases written for the project (2026-12-05 round)."""

from __future__ import annotations

import pytest

from bot.answers import normalize
from bot.config.schema import SCALES
from bot.prompts import ScaleKind
from bot.rating_words import EFFORT, SATISFACTION, WordScale, word_rating

from .test_answers import rate

WORDS = [
    # Chinese praise and complaint words
    pytest.param("超赞", "csat", 5, id="chao-zan"),
    pytest.param("很棒", "csat", 5, id="hen-bang-intensified"),
    pytest.param("好棒！", "csat", 5, id="hao-bang-intensified"),
    pytest.param("棒", "csat", 4, id="bang"),
    pytest.param("完美", "csat", 5, id="wanmei"),
    pytest.param("不太行", "csat", 2, id="bu-tai-xing"),
    pytest.param("很失望", "csat", 1, id="hen-shiwang"),
    pytest.param("不差", "csat", 4, id="bu-cha-negated"),
    pytest.param("挺不错的", "csat", 4, id="ting-bucuo-softened"),
    pytest.param("蛮好的", "csat", 4, id="man-hao"),
    pytest.param("还好吧", "csat", 3, id="hai-hao"),
    pytest.param("不错不错", "csat", 4, id="said-twice"),
    pytest.param("非常非常满意", "csat", 5, id="very-very"),
    # chat slang, and its words for "very" (巨, 贼), "not really" (不是特别, 不算) and "basically" (基本)
    pytest.param("绝绝子", "csat", 5, id="juejuezi"),
    pytest.param("还阔以", "csat", 3, id="hai-kuoyi"),
    pytest.param("也就那样", "csat", 3, id="ye-jiu-nayang"),
    pytest.param("不咋滴", "csat", 2, id="bu-za-di"),
    pytest.param("太拉胯了", "csat", 1, id="tai-lakua"),
    pytest.param("给力", "csat", 4, id="geili-is-no-give"),
    pytest.param("不靠谱", "csat", 2, id="bu-kaopu"),
    pytest.param("点个赞", "csat", 5, id="dian-ge-zan"),
    pytest.param("巨满意", "csat", 5, id="ju-manyi"),
    pytest.param("贼方便", "ces", 7, id="ces-zei-fangbian"),
    pytest.param("不是特别满意", "csat", 2, id="bushi-tebie-manyi"),
    pytest.param("不算满意", "csat", 2, id="busuan-manyi"),
    pytest.param("基本满意", "csat", 4, id="jiben-manyi"),
    pytest.param("goated", "csat", 5, id="goated"),
    pytest.param("you guys are the best", "csat", 5, id="you-guys-are"),
    pytest.param("you rock", "csat", 5, id="you-rock"),
    pytest.param("greaaat", "csat", 5, id="held-down-letter"),
    pytest.param("baaad", "csat", 2, id="held-down-letter-bad"),
    pytest.param("gooood", "csat", 4, id="held-down-double-letter"),
    pytest.param("yeah it was good", "csat", 4, id="yes-and-agreeing-words"),
    pytest.param("nah it was bad", "csat", 2, id="no-and-agreeing-words"),
    pytest.param("no complaints", "csat", 4, id="no-in-a-phrase"),
    pytest.param("pretty mid", "csat", 3, id="pretty-mid"),
    pytest.param("it was trash", "csat", 1, id="it-was-trash"),
    # what is rated, named first or after
    pytest.param("服务很好", "csat", 4, id="fuwu-hen-hao"),
    pytest.param("客服态度非常好", "csat", 5, id="kefu-taidu-feichang-hao"),
    pytest.param("这次体验不错", "csat", 4, id="zhe-ci-tiyan-bucuo"),
    pytest.param("我觉得服务很好", "csat", 4, id="lead-in-and-subject"),
    pytest.param("态度很差", "csat", 1, id="taidu-hen-cha"),
    pytest.param("非常好的服务", "csat", 5, id="noun-after-de"),
    pytest.param("很差的体验", "csat", 1, id="bad-experience-zh"),
    pytest.param("the agent was great", "csat", 5, id="agent-was-great"),
    pytest.param("Your staff is excellent!", "csat", 5, id="staff-is-excellent"),
    # English praise and complaint words, negated, softened, intensified
    pytest.param("the best", "csat", 5, id="the-best"),
    pytest.param("Loved it!", "csat", 5, id="loved-it"),
    pytest.param("very helpful", "csat", 5, id="very-helpful"),
    pytest.param("helpful", "csat", 4, id="helpful"),
    pytest.param("not helpful", "csat", 2, id="not-helpful"),
    pytest.param("useless", "csat", 1, id="useless"),
    pytest.param("worst service ever", "csat", 1, id="worst-ever"),
    pytest.param("really good", "csat", 5, id="really-good"),
    pytest.param("so bad", "csat", 1, id="so-bad"),
    pytest.param("not great", "csat", 2, id="not-great"),
    pytest.param("not very good", "csat", 2, id="not-very-good"),
    pytest.param("not terrible", "csat", 4, id="not-terrible"),
    pytest.param("not bad at all", "csat", 4, id="not-bad-at-all"),
    pytest.param("quite happy", "csat", 4, id="quite-happy"),
    pytest.param("not too bad", "csat", 4, id="not-too-bad"),
    pytest.param("not that great", "csat", 2, id="not-that-great"),
    pytest.param("not happy at all", "csat", 1, id="not-happy-at-all"),
    pytest.param("一点都不满意", "csat", 1, id="yidian-dou-bu-manyi"),
    pytest.param("完全不满意", "csat", 1, id="wanquan-bu-manyi"),
    pytest.param("sooo good", "csat", 5, id="so-stretched"),
    pytest.param("I'm not satisfied", "csat", 2, id="i-am-lead-in"),
    pytest.param("I am very happy", "csat", 5, id="i-am-very-happy"),
    # the labels of a five-point satisfaction scale, typed
    pytest.param("somewhat satisfied", "csat", 4, id="somewhat-satisfied"),
    pytest.param("somewhat dissatisfied", "csat", 2, id="somewhat-dissatisfied"),
    pytest.param("neither satisfied nor dissatisfied", "csat", 3, id="neither-nor"),
    pytest.param("no complaints", "csat", 4, id="no-complaints"),
    pytest.param("普通", "csat", 3, id="putong"),
    pytest.param("不咋地", "csat", 2, id="bu-za-di"),
    pytest.param("没得说", "csat", 5, id="mei-de-shuo"),
    pytest.param("无可挑剔", "csat", 5, id="wu-ke-tiao-ti"),
    pytest.param("满意哒", "csat", 4, id="particle-da"),
    pytest.param("棒棒哒", "csat", 5, id="bang-bang-da"),
    # one slip of the keyboard in a long word
    pytest.param("exellent", "csat", 5, id="misspelled-excellent"),
    pytest.param("very satisifed", "csat", 5, id="misspelled-satisfied-intensified"),
    pytest.param("terible!", "csat", 1, id="misspelled-terrible"),
    pytest.param("disatisfied", "csat", 2, id="misspelled-dissatisfied"),
    pytest.param("descent", "csat", 4, id="misspelled-decent"),
    pytest.param("efortless", "ces", 7, id="ces-misspelled-effortless"),
    pytest.param("👏", "csat", 5, id="applause"),
    pytest.param("a little disappointed", "csat", 2, id="a-little"),
    pytest.param("a bit difficult", "ces", 3, id="ces-a-bit-as-a-bit-hard"),
    pytest.param("有点费劲", "ces", 3, id="ces-youdian-as-youdian-mafan"),
    pytest.param("just ok", "csat", 3, id="just-ok"),
    pytest.param("有点失望", "csat", 2, id="youdian-shiwang"),
    pytest.param("a bit easy", "ces", 5, id="ces-a-bit-easy"),
    pytest.param("好难", "ces", 1, id="ces-hao-nan"),
    pytest.param("好方便", "ces", 7, id="ces-hao-fangbian"),
    pytest.param("好失望", "csat", 1, id="hao-shiwang"),
    pytest.param("很不满", "csat", 1, id="hen-buman"),
    pytest.param("体验极佳", "csat", 5, id="tiyan-jijia"),
    pytest.param("can't complain", "csat", 4, id="cant-complain"),
    pytest.param("couldn't be happier", "csat", 5, id="couldnt-be-happier"),
    pytest.param("could be worse", "csat", 3, id="could-be-worse"),
    pytest.param("completely satisfied", "csat", 5, id="completely-satisfied"),
    pytest.param("no issues", "csat", 4, id="no-issues"),
    # faces, repeated for emphasis
    pytest.param("👍👍👍", "csat", 5, id="three-thumbs"),
    pytest.param("👍 👍 👍", "csat", 5, id="three-thumbs-spaced"),
    pytest.param("😊😊", "csat", 5, id="two-smiles"),
    pytest.param("😡😡", "csat", 1, id="two-angry"),
    pytest.param("👍🏻", "csat", 4, id="thumb-skin-tone"),
    pytest.param("👎🏽", "csat", 2, id="thumb-down-skin-tone"),
    pytest.param("❤️", "csat", 5, id="heart"),
    pytest.param("💯", "csat", 5, id="hundred-emoji"),
    # effort
    pytest.param("so easy", "ces", 7, id="ces-so-easy"),
    pytest.param("easy peasy", "ces", 7, id="ces-easy-peasy"),
    pytest.param("quick and easy", "ces", 7, id="ces-quick-and-easy"),
    pytest.param("hassle-free", "ces", 7, id="ces-hassle-free"),
    pytest.param("straightforward", "ces", 6, id="ces-straightforward"),
    pytest.param("pretty easy", "ces", 6, id="ces-pretty-easy"),
    pytest.param("not simple", "ces", 3, id="ces-not-simple"),
    pytest.param("confusing", "ces", 2, id="ces-confusing"),
    pytest.param("really hard", "ces", 1, id="ces-really-hard"),
    pytest.param("方便", "ces", 6, id="ces-fangbian"),
    pytest.param("很方便", "ces", 7, id="ces-hen-fangbian"),
    pytest.param("挺方便的", "ces", 6, id="ces-ting-fangbian"),
    pytest.param("不方便", "ces", 3, id="ces-bu-fangbian"),
    pytest.param("不太方便", "ces", 3, id="ces-bu-tai-fangbian"),
    pytest.param("一点都不难", "ces", 6, id="ces-not-hard-at-all"),
    pytest.param("not easy at all", "ces", 1, id="ces-not-easy-at-all"),
    pytest.param("neither easy nor difficult", "ces", 4, id="ces-neither-nor"),
    pytest.param("操作很简单", "ces", 7, id="ces-subject-and-words"),
    pytest.param("不难也不简单", "ces", 4, id="ces-neither-hard-nor-simple-zh"),
    pytest.param("太折腾了", "ces", 1, id="ces-tai-zheteng"),
    pytest.param("a breeze", "ces", 7, id="ces-a-breeze"),
    pytest.param("could be easier", "ces", 3, id="ces-could-be-easier"),
    pytest.param("良好", "csat", 4, id="lianghao"),
    pytest.param("流程太复杂", "ces", 1, id="ces-too-complicated"),
    # third hunt (2026-12-06): "very" said after the word in Chinese, English inside Chinese, slang
    pytest.param("麻烦死了", "ces", 1, id="ces-mafan-si-le"),
    pytest.param("难死了", "ces", 1, id="ces-nan-si-le"),
    pytest.param("简单得很", "ces", 7, id="ces-jiandan-de-hen"),
    pytest.param("差透了", "csat", 1, id="cha-tou-le"),
    pytest.param("ok的", "csat", 3, id="ok-de"),
    pytest.param("还ok", "csat", 3, id="hai-ok"),
    pytest.param("蛮ok的", "csat", 3, id="man-ok-de"),
    pytest.param("good啊", "csat", 4, id="good-a"),
    pytest.param("还满意", "csat", 4, id="hai-manyi-softened"),
    pytest.param("牛", "csat", 5, id="niu"),
    pytest.param("太牛了", "csat", 5, id="tai-niu-le"),
    pytest.param("yyds", "csat", 5, id="yyds"),
    pytest.param("必须好评", "csat", 5, id="bixu-haoping"),
    pytest.param("当然不满意", "csat", 2, id="dangran-bu-manyi"),
    pytest.param("绝对满意", "csat", 5, id="juedui-manyi"),
    pytest.param("垃圾服务", "csat", 1, id="laji-fuwu-noun-after"),
    pytest.param("♥️", "csat", 5, id="heart-suit"),
    pytest.param("💖💖", "csat", 5, id="sparkling-heart"),
    pytest.param("有一点麻烦", "ces", 3, id="ces-you-yidian-mafan"),
    pytest.param("费力", "ces", 2, id="ces-feili"),
    pytest.param("很费力", "ces", 1, id="ces-hen-feili"),
    pytest.param("不费力", "ces", 5, id="ces-bu-feili"),
    pytest.param("毫不费力", "ces", 7, id="ces-haobu-feili"),
    pytest.param("简单快捷", "ces", 7, id="ces-jiandan-kuaijie"),
    pytest.param("轻松搞定", "ces", 7, id="ces-qingsong-gaoding"),
    pytest.param("too hard", "ces", 1, id="ces-too-hard"),
    pytest.param("too complicated", "ces", 1, id="ces-too-complicated-en"),
    pytest.param("not too hard", "ces", 5, id="ces-not-too-hard-stays-negated"),
    pytest.param("no hassle at all", "ces", 7, id="ces-no-hassle-at-all"),
    pytest.param("no complaints at all", "csat", 5, id="no-complaints-at-all"),
    # Cantonese (Hong Kong): 唔 not, 唔係 is not, 有啲 a bit, 幾 quite, 勁 very, 正 great, 麻麻 so-so
    pytest.param("唔錯", "csat", 4, id="yue-m-cuo"),
    pytest.param("唔滿意", "csat", 2, id="yue-m-mun-yi"),
    pytest.param("唔係好滿意", "csat", 2, id="yue-m-hai-hou-mun-yi"),
    pytest.param("幾好", "csat", 4, id="yue-gei-hou"),
    pytest.param("勁好", "csat", 4, id="yue-ging-hou"),
    pytest.param("好正", "csat", 5, id="yue-hou-zeng"),
    pytest.param("麻麻地", "csat", 3, id="yue-maa-maa-dei"),
    pytest.param("好滿意嘅", "csat", 5, id="yue-ge-particle"),
    pytest.param("唔方便", "ces", 3, id="yue-ces-m-fong-bin"),
    pytest.param("有啲麻煩", "ces", 3, id="yue-ces-jau-di-maa-faan"),
    pytest.param("有d麻烦", "ces", 3, id="yue-ces-jau-d"),
    pytest.param("幾方便", "ces", 6, id="yue-ces-gei-fong-bin"),
    pytest.param("唔難", "ces", 5, id="yue-ces-m-naan"),
    # Taiwan: 喔, 唷, 耶 close a sentence, 有夠 is "very", 普普 "so-so"
    pytest.param("不錯喔", "csat", 4, id="tw-bucuo-o"),
    pytest.param("很滿意唷", "csat", 5, id="tw-hen-manyi-yo"),
    pytest.param("有夠爛", "csat", 1, id="tw-yougou-lan"),
    pytest.param("普普啦", "csat", 3, id="tw-pupu"),
    pytest.param("很簡單喔", "ces", 7, id="tw-ces-hen-jiandan-o"),
    pytest.param("有夠麻煩", "ces", 1, id="tw-ces-yougou-mafan"),
    # chat spellings, words after the rating, "enough", effort said as a noun
    pytest.param("gud", "csat", 4, id="gud"),
    pytest.param("gr8", "csat", 5, id="gr8"),
    pytest.param("v good", "csat", 5, id="v-for-very"),
    pytest.param("v. happy", "csat", 5, id="v-dot-for-very"),
    pytest.param("awsome", "csat", 5, id="awsome"),
    pytest.param("great job guys", "csat", 5, id="trailing-guys"),
    pytest.param("love you guys", "csat", 5, id="love-you-guys"),
    pytest.param("not great, not terrible", "csat", 3, id="not-great-not-terrible"),
    pytest.param("could've been better", "csat", 3, id="could-ve-been-better"),
    pytest.param("easy enough", "ces", 5, id="ces-easy-enough-is-fairly-easy"),
    pytest.param("good enough", "csat", 4, id="good-enough-stays-good"),
    pytest.param("struggled", "ces", 2, id="ces-struggled"),
    pytest.param("a pain", "ces", 2, id="ces-a-pain"),
    pytest.param("minimal effort", "ces", 6, id="ces-minimal-effort"),
    pytest.param("too much effort", "ces", 1, id="ces-too-much-effort"),
    pytest.param("not much effort", "ces", 5, id="ces-not-much-effort"),
    pytest.param("impossible", "ces", 1, id="ces-impossible"),
    pytest.param("somewhat hard", "ces", 3, id="ces-somewhat-hard-is-a-bit-hard"),
    pytest.param("moderately easy", "ces", 5, id="ces-moderately-easy"),
    pytest.param("ridiculously easy", "ces", 7, id="ces-ridiculously-easy"),
    pytest.param("surprisingly easy", "ces", 6, id="ces-surprisingly-easy"),
    pytest.param("not easy, not hard", "ces", 4, id="ces-not-easy-not-hard"),
    pytest.param("so-so", "ces", 4, id="ces-so-so"),
    pytest.param("medium", "ces", 4, id="ces-medium"),
    pytest.param("somewhat satisfied", "csat", 4, id="somewhat-one-step-stays"),
    # English chat: "af" after, "hella" / "mad" before, and the words themselves
    pytest.param("good af", "csat", 5, id="good-af"),
    pytest.param("satisfied af", "csat", 5, id="satisfied-af"),
    pytest.param("hella good", "csat", 5, id="hella-good"),
    pytest.param("mad helpful", "csat", 5, id="mad-helpful"),
    pytest.param("crappy service", "csat", 1, id="crappy-service"),
    pytest.param("it sucked", "csat", 1, id="it-sucked"),
    pytest.param("lousy", "csat", 2, id="lousy"),
    pytest.param("well done", "csat", 5, id="well-done"),
    pytest.param("good stuff", "csat", 4, id="good-stuff"),
    pytest.param("okey", "csat", 3, id="okey"),
    # Chinese chat: nb, 牛批, 坑, 辣鸡, 醉了; effort: 累, 顺畅, 便捷, 绕
    pytest.param("nb", "csat", 5, id="nb"),
    pytest.param("牛批", "csat", 5, id="niupi"),
    pytest.param("太坑了", "csat", 1, id="tai-keng-le"),
    pytest.param("辣鸡", "csat", 1, id="laji-homophone"),
    pytest.param("醉了", "csat", 2, id="zui-le"),
    pytest.param("累死了", "ces", 1, id="ces-lei-si-le"),
    pytest.param("一点都不累", "ces", 6, id="ces-not-tiring-at-all"),
    pytest.param("很顺畅", "ces", 7, id="ces-hen-shunchang"),
    pytest.param("很便捷", "ces", 7, id="ces-hen-bianjie"),
    pytest.param("太绕了", "ces", 1, id="ces-tai-rao-le"),
    pytest.param("could be better, could be worse", "csat", 3, id="could-be-better-could-be-worse"),
    # Chinese idioms and strengthened words
    pytest.param("十全十美", "csat", 5, id="shiquan-shimei"),
    pytest.param("服务一流", "csat", 5, id="fuwu-yiliu"),
    pytest.param("一级棒", "csat", 5, id="yiji-bang"),
    pytest.param("乱七八糟", "csat", 1, id="luan-qi-ba-zao"),
    pytest.param("一无是处", "csat", 1, id="yi-wu-shi-chu"),
    pytest.param("一点也不好", "csat", 1, id="yidian-ye-bu-hao"),
    pytest.param("特别好", "csat", 5, id="tebie-hao"),
    pytest.param("好得很", "csat", 5, id="hao-de-hen"),
    pytest.param("十二分满意", "csat", 5, id="shi-er-fen-manyi"),
    pytest.param("万分满意", "csat", 5, id="wan-fen-manyi"),
    pytest.param("差得要命", "csat", 1, id="cha-de-yaoming"),
    pytest.param("麻烦得要命", "ces", 1, id="ces-mafan-de-yaoming"),
    # what the words are about, after them: "with the service"
    pytest.param("happy with the service", "csat", 4, id="happy-with-the-service"),
    pytest.param("very happy with the service", "csat", 5, id="very-happy-with-the-service"),
    pytest.param("not satisfied with the answer", "csat", 2, id="not-satisfied-with-the-answer"),
    pytest.param("not satisfied with the answer at all", "csat", 1, id="not-satisfied-with-at-all"),
    pytest.param("really pleased with the help", "csat", 5, id="pleased-with-the-help"),
    pytest.param("happy with it", "csat", 4, id="happy-with-it"),
    # the fifth hunt (2026-12-06): words written by category, each None before
    pytest.param("super duper happy", "csat", 5, id="super-duper"),
    pytest.param("mega happy", "csat", 5, id="mega"),
    pytest.param("soso", "csat", 3, id="soso-one-word"),
    pytest.param("soso", "ces", 4, id="ces-soso-one-word"),
    pytest.param("okayish", "csat", 3, id="okayish"),
    pytest.param("ok-ish", "csat", 3, id="ok-ish"),  # was 3 with the comment "ish"
    pytest.param("ok la", "csat", 3, id="singlish-la"),  # "ok" was dropped as an "ok, ..." before a reply
    pytest.param("ok lor", "csat", 3, id="singlish-lor"),
    pytest.param("not bad lah", "csat", 4, id="singlish-lah"),
    pytest.param("fine ig", "csat", 3, id="ig-i-guess"),
    pytest.param("good imo", "csat", 4, id="imo"),
    pytest.param("its fine", "csat", 3, id="its-without-apostrophe"),
    pytest.param("its ok", "ces", 4, id="ces-its-without-apostrophe"),
    pytest.param("worst experience ever", "csat", 1, id="worst-experience-ever"),
    pytest.param("best experience ever", "csat", 5, id="best-experience-ever"),
    pytest.param("A+", "csat", 5, id="a-plus"),
    pytest.param("a+ service", "csat", 5, id="a-plus-service"),
    pytest.param("lit", "csat", 5, id="lit"),
    pytest.param("dope", "csat", 5, id="dope"),
    pytest.param("🔥🔥🔥", "csat", 5, id="fire-faces"),
    pytest.param("😕", "csat", 2, id="confused-face"),
    pytest.param("并不满意", "csat", 2, id="bingbu-negated-zh"),
    pytest.param("非常之满意", "csat", 5, id="feichangzhi-zh"),
    pytest.param("棒呆了", "csat", 5, id="bangdaile-tw"),
    pytest.param("态度恶劣", "csat", 1, id="taidu-elie-zh"),
    pytest.param("垃圾客服", "csat", 1, id="laji-kefu-zh"),
    pytest.param("ez", "ces", 6, id="ces-ez"),
    pytest.param("ezpz", "ces", 7, id="ces-ezpz"),
    pytest.param("zero effort", "ces", 7, id="ces-zero-effort"),
    pytest.param("0 effort", "ces", 7, id="ces-digit-zero-effort"),
    pytest.param("took no effort", "ces", 7, id="ces-took-no-effort"),
    pytest.param("way too complicated", "ces", 1, id="ces-way-too"),
    pytest.param("a bit of a hassle", "ces", 3, id="ces-a-bit-of-a-hassle"),
    pytest.param("很顺", "ces", 7, id="ces-hen-shun-zh"),
    pytest.param("太难搞了", "ces", 1, id="ces-tai-nangao-zh"),
    pytest.param("搞了半天", "ces", 2, id="ces-gao-le-bantian-zh"),
    pytest.param("一点儿都不麻烦", "ces", 6, id="ces-yidianr-as-yidian-zh"),  # was 5 (一点都不麻烦 is 6)
    pytest.param("一点儿都不满意", "csat", 1, id="yidianr-bu-manyi-zh"),
    # chat spellings: "rly", "verry", "p" (pretty), "grt", "awsum", "not too shabby", "no notes"
    pytest.param("rly good", "csat", 5, id="rly"),
    pytest.param("verry good", "csat", 5, id="verry"),
    pytest.param("p good", "csat", 4, id="p-pretty"),
    pytest.param("grt", "csat", 5, id="grt"),
    pytest.param("awsum", "csat", 5, id="awsum"),
    pytest.param("not too shabby", "csat", 4, id="not-too-shabby"),
    pytest.param("no notes", "csat", 5, id="no-notes"),
    pytest.param("okie dokie", "csat", 3, id="okie-dokie"),
    # the blind fifth set: "absolute" strengthens, chat drops the subject, a verb rates, words after
    pytest.param("absolute trash service", "csat", 1, id="absolute-trash"),
    pytest.param("ur service sucks", "csat", 1, id="ur-service-sucks"),
    pytest.param("the app rocks", "csat", 5, id="app-rocks"),
    pytest.param("was a nightmare", "ces", 1, id="was-a-nightmare"),
    pytest.param("is fine", "csat", 3, id="is-fine"),
    pytest.param("Very satisfied indeed.", "csat", 5, id="indeed"),
    pytest.param("so easy omg", "ces", 7, id="omg"),
    pytest.param("it was bussin fr", "csat", 5, id="bussin-fr"),
]


@pytest.mark.parametrize(("text", "kind", "expected"), WORDS)
def test_word_rating(text: str, kind: ScaleKind, expected: int) -> None:
    assert rate(text, kind) == expected


NOT_WORDS = [
    "not sure", "so what", "really?", "好久", "太久了", "很慢", "不知道", "很急", "超时", "super slow",
    "very slow", "best regards", "best", "not now", "不用了", "客服呢", "服务呢？", "态度", "服务", "不是",
    "不要", "好", "好好", "真的吗", "很好奇", "nothing", "notable", "goodbye", "good morning", "好的谢谢",
    "行吧", "可以的", "回复太慢了", "your staff was rude", "love", "not ok", "not at all", "一点都不",
    "完全不", "好哒", "i'm", "i am", "unimpressed", "please", "recent", "satisfaction", "I'm good",
    "i'm fine", "we're ok", "yes bad", "no, good", "yeah no",
    "笑死了", "气死了", "还差一点", "还没到", "体验", "全部", "必须的", "too", "me too", "too late", "不ok",
    "no help at all", "no reply at all", "ok的吗", "唔好", "唔该", "冇", "正", "几分", "几天", "enough",
    "v", "guys", "not enough", "with the service", "七上八下", "八九不离十", "一言难尽", "af", "mad",
    "hella",
    # the fifth hunt: speed is no effort or satisfaction word, either way ("很快" is also "soon"); a
    # particle, "its" or "mega" alone; praise of the agent that mostly comes as a comment
    "fast", "很快", "quick", "took forever", "la", "lah", "its", "mega", "专业", "很耐心", "服务到位",
    "气死我了", "best experience", "k", "kk", "p", "🤌",
]  # fmt: skip


@pytest.mark.parametrize("text", NOT_WORDS)
@pytest.mark.parametrize("kind", ["csat", "ces"])
def test_not_a_word_rating(text: str, kind: ScaleKind) -> None:
    assert rate(text, kind) is None


SCALES_OF_WORDS: list[tuple[WordScale, dict[str, int], int]] = [("csat", SATISFACTION, 3), ("ces", EFFORT, 4)]


@pytest.mark.parametrize(("scale", "words", "mid"), SCALES_OF_WORDS)
def test_every_phrase_reads_as_its_own_score(scale: WordScale, words: dict[str, int], mid: int) -> None:
    low, high = SCALES[scale]
    read = {phrase: word_rating(normalize(phrase), scale) for phrase in words}
    assert {p: (v, read[p]) for p, v in words.items() if read[p] != v} == {}
    assert all(low <= v <= high for v in words.values())


@pytest.mark.parametrize(("scale", "words", "mid"), SCALES_OF_WORDS)
def test_an_intensifier_never_crosses_neutral_and_never_weakens(
    scale: WordScale, words: dict[str, int], mid: int
) -> None:
    """A word after "really" is at least as far from neutral as alone, and on the same side."""
    for phrase, value in words.items():
        if not phrase.isascii() or phrase.startswith(("not ", "very ", "really ")):
            continue
        stronger = word_rating(f"really {phrase}", scale)
        if stronger is not None:
            assert (stronger - mid) * (value - mid) >= 0, phrase
            assert abs(stronger - mid) >= abs(value - mid), phrase


@pytest.mark.parametrize(("scale", "words", "mid"), SCALES_OF_WORDS)
def test_a_negation_lands_on_the_other_side_of_neutral(
    scale: WordScale, words: dict[str, int], mid: int
) -> None:
    for phrase, value in words.items():
        if not phrase.isascii() or " " in phrase or value == mid:
            continue
        negated = word_rating(f"not {phrase}", scale)
        assert negated is not None, phrase
        assert (negated - mid) * (value - mid) < 0, phrase
