# syntax=docker/dockerfile:1
# Build: docker build -t accordwatch .
# Run:   docker run -v accordwatch-data:/var/lib/accordwatch -p 4222:4222 accordwatch
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/accordwatch ./cmd/accordwatch

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/accordwatch /usr/local/bin/accordwatch
COPY configs/accordwatch.yaml /etc/accordwatch/accordwatch.yaml
WORKDIR /var/lib/accordwatch
VOLUME ["/var/lib/accordwatch"]
# The embedded NATS server listens on all interfaces inside the container so
# that analysts' clients can reach it through the published port.
EXPOSE 4222
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/accordwatch"]
CMD ["run", "--config", "/etc/accordwatch/accordwatch.yaml", "--data-dir", "/var/lib/accordwatch", "--nats-listen", "0.0.0.0:4222"]
