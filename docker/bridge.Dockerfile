# One image per bridge, built from the repository root:
#   docker build -f docker/bridge.Dockerfile --build-arg BRIDGE=whatsapp -t mxbridges/whatsapp .
# The first start with an empty /data writes /data/config.yaml and exits; the next writes
# /data/registration.yaml and exits; then the bridge runs. MXBRIDGES_-prefixed environment variables
# override config options (MXBRIDGES_HOMESERVER__ADDRESS, MXBRIDGES_DATABASE__URI, ...): see docs/admin.md.
ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION}-bookworm AS build
ARG GOPROXY=https://proxy.golang.org,direct
ENV GOPROXY=${GOPROXY} GOFLAGS=-buildvcs=false CGO_ENABLED=1
WORKDIR /src
# Modules first, in a layer of their own that every bridge's build shares.
COPY go.work go.work.sum ./
COPY pkg/go.mod pkg/go.sum pkg/
COPY bridges/whatsapp/go.mod bridges/whatsapp/go.sum bridges/whatsapp/
COPY bridges/telegram/go.mod bridges/telegram/go.sum bridges/telegram/
COPY bridges/people/go.mod bridges/people/go.sum bridges/people/
RUN go mod download
COPY pkg pkg
COPY bridges bridges
# BRIDGE comes after the module download, so that its layer is the same for every bridge.
ARG BRIDGE
RUN test -n "$BRIDGE" \
    && go build -tags goolm -trimpath -ldflags "-s -w" -o /out/mxbridges-$BRIDGE ./bridges/$BRIDGE/cmd/mxbridges-$BRIDGE \
    && go build -tags goolm -trimpath -ldflags "-s -w" -o /out/mxbridges ./pkg/cmd/mxbridges

FROM debian:bookworm-slim
ARG BRIDGE
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 1337 --user-group --home-dir /data mxbridges \
    && mkdir /data && chown mxbridges:mxbridges /data
COPY --from=build /out/ /usr/bin/
ENV MXB_BRIDGE=${BRIDGE} MXB_DATA=/data
USER mxbridges
WORKDIR /data
VOLUME /data
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s CMD ["/usr/bin/mxbridges", "health", "/data/config.yaml"]
ENTRYPOINT ["/usr/bin/mxbridges", "entrypoint"]
