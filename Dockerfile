# Simpul gateway image: the supergraph is baked in from schema/ at build time
# and can be replaced at run time by mounting a file over /app/supergraph.graphql.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY simpul ./simpul
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --upgrade pip \
 && /opt/venv/bin/pip install --no-cache-dir .

FROM python:3.11-slim AS runtime
# a fixed numeric id: Kubernetes' runAsNonRoot can check it (deploy/kubernetes/)
RUN groupadd --system --gid 10001 simpul \
 && useradd --system --uid 10001 --gid simpul --home /app simpul
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=simpul:simpul schema/demo/supergraph.graphql /app/supergraph.graphql
USER 10001
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 SIMPUL_PROFILE=production
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:4000/health').status == 200 else 1)"
CMD ["simpul", "gateway", "--supergraph", "/app/supergraph.graphql", "--host", "0.0.0.0", "--port", "4000"]

# The whole city graph (deploy/compose.yaml): the checkout's schema/, portal/ and OPD data
# beside the installed package, so `python -m simpul.city`'s modules find them; .cache/ (the
# development secrets, the OPDs' registries) is a volume.
FROM runtime AS city
WORKDIR /app/city
COPY --chown=10001:10001 . /app/city
USER root
RUN mkdir -p /app/city/.cache && chown 10001:10001 /app/city/.cache
USER 10001
ENV PYTHONPATH=/app/city
