# The ittisal image: one image for the code location (a gRPC server), the webserver, the daemon
# and every launched run, with the production profile installed. Locations, credentials and
# the Postgres instance come from the environment only (deploy/compose.yaml,
# deploy/helm-values.yaml; README "Running at scale").
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DAGSTER_HOME=/opt/dagster/home ITTISAL_ENV=production

WORKDIR /opt/ittisal
COPY pyproject.toml README.md ./
COPY ittisal ittisal
COPY pipelines pipelines
COPY assets assets
COPY sql sql
COPY workspace.yaml ./
COPY deploy deploy
# editable: the SQL models (sql/) and the code fingerprint are read beside the package
RUN pip install --no-cache-dir -e '.[deploy]' \
    && useradd --system --uid 10001 --home-dir /opt/dagster ittisal \
    && mkdir -p "$DAGSTER_HOME" /data \
    && chown -R ittisal "$DAGSTER_HOME" /data
COPY deploy/dagster.yaml "$DAGSTER_HOME/dagster.yaml"
USER ittisal

# the code location; the webserver and daemon override the command (deploy/compose.yaml)
EXPOSE 4000
CMD ["dagster", "code-server", "start", "-h", "0.0.0.0", "-p", "4000", "-m", "pipelines.definitions", "--location-name", "ittisal"]
