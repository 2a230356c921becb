# syntax=docker/dockerfile:1
# Build: a static binary without cgo (the embedded store is pure Go).
FROM golang:1.26-alpine AS build
RUN apk add --no-cache ca-certificates
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/sports-data ./cmd/sports-data \
 && mkdir -p /out/data

# Run: nothing but the binary, CA certificates and an empty data folder.
FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/sports-data /sports-data
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV PORT=8005 DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8005
# The image has no shell or curl: the binary checks its own /health.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["/sports-data", "healthcheck"]
ENTRYPOINT ["/sports-data"]
