module github.com/gssfault/gssfault

go 1.26.0

require (
	github.com/google/go-cmp v0.7.0
	google.golang.org/grpc v1.85.0
	gopkg.in/yaml.v3 v3.0.1
)

require golang.org/x/sys v0.48.0 // indirect
