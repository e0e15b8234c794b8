// Package configs holds accordwatch's default configuration and catalogs as data.
package configs

import "embed"

// FS holds every YAML file of this directory: the actor and accord catalogs
// (actors.yaml, accords.yaml) and the default configuration.
//
//go:embed *.yaml
var FS embed.FS
