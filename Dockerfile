# csatbot: the same app as `make run`, served on 0.0.0.0:8000 with SQLite in /app/var (a volume).
#
# On 0.0.0.0 `csatbot serve` refuses to start until its secrets are set (README, "Security"): a session
# signing key, and a way in for the support side (an API token, or a console user in the volume):
#
#   docker build -t csatbot .
#   docker run --rm -it -v csatbot-var:/app/var csatbot csatbot users add mei --role admin   # asks a password
#   docker run -d -p 8000:8000 -v csatbot-var:/app/var \
#     -e CSATBOT_SECRET_KEY="$(openssl rand -hex 32)" \
#     -e CSATBOT_API_TOKEN="$(openssl rand -hex 32)" \
#     csatbot
#
# Keep CSATBOT_SECRET_KEY the same across restarts (sessions survive) and behind an https proxy add
# -e CSATBOT_SECURE_COOKIES=1 and -e FORWARDED_ALLOW_IPS=<the proxy's address> (client addresses for
# the sign-in throttle). Channel secrets (TELEGRAM_BOT_TOKEN, ...) are passed the same way.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1

WORKDIR /app

# The CPU build of torch first (the default PyPI wheel pulls several GB of CUDA libraries).
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY nlu ./nlu
COPY models ./models
COPY storage ./storage
COPY csatbot ./csatbot
RUN pip install .

COPY config.yaml ./

RUN useradd --create-home csatbot && mkdir -p /app/var/models && chown -R csatbot /app/var
USER csatbot
VOLUME ["/app/var"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"

CMD ["csatbot", "serve", "--host", "0.0.0.0", "--port", "8000"]
