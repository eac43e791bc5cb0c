#!/usr/bin/env bash
# Regenerates the examples' generated code from vm.proto (make proto).
#
# Needs protoc (Debian: apt-get install protobuf-compiler, which also brings
# the google/protobuf/*.proto files). The plugins are built from the versions
# pinned in the repository's tools/go.mod; google/api/annotations.proto and
# http.proto come from grpc-gateway v1.16.0's third_party/googleapis, fetched
# through the Go module proxy. The outputs are committed, so building and testing the
# examples needs none of this.
set -euo pipefail
cd "$(dirname "$0")"

command -v protoc >/dev/null || { echo "gen.sh: protoc not found (apt-get install protobuf-compiler)" >&2; exit 1; }

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
(cd ../../../tools && GOBIN="$bin" go install \
	google.golang.org/protobuf/cmd/protoc-gen-go \
	google.golang.org/grpc/cmd/protoc-gen-go-grpc \
	github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-grpc-gateway \
	github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2 \
	github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv3)

googleapis=$(go mod download -json github.com/grpc-ecosystem/grpc-gateway@v1.16.0 |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')/third_party/googleapis
test -f "$googleapis/google/api/annotations.proto" || { echo "gen.sh: no google/api/annotations.proto in $googleapis" >&2; exit 1; }

# protoc-gen-gssfault from this repository; gssfault/v1/options.proto from
# its proto/ directory.
(cd ../../.. && go build -o "$bin/protoc-gen-gssfault" ./cmd/protoc-gen-gssfault)

openapi=../../openapi
PATH="$bin:$PATH" protoc -I . -I "$googleapis" -I ../../../proto \
	--go_out=. --go_opt=paths=source_relative \
	--go-grpc_out=. --go-grpc_opt=paths=source_relative \
	--grpc-gateway_out=. --grpc-gateway_opt=paths=source_relative \
	--openapiv2_out="$openapi" \
	--openapiv3_out="$openapi" \
	--gssfault_out=. --gssfault_opt=paths=source_relative \
	vm.proto
# The codes file goes beside the Swagger file it describes.
mv vm.gssfault.json "$openapi/vm.gssfault.json"
protoc --version
