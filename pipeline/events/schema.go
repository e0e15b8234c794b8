package events

import (
	"embed"
	"fmt"
	"io/fs"
)

// Schemas holds the JSON Schema (draft 2020-12) of every event type, as
// schemas/<kind>.<version>.json (see SchemaPath). They are the contract that
// docs/events.md describes; the tests validate published events against
// them.
//
//go:embed schemas/*.json
var Schemas embed.FS

// SchemaIDPrefix starts the $id of every schema: the $id of the schema of
// "org.accordwatch.stance.v1" is "urn:accordwatch:schema:stance.v1".
const SchemaIDPrefix = SourcePrefix + "schema:"

// SchemaPath returns the path in Schemas of the schema of event type t
// ("org.accordwatch.stance.v1" gives "schemas/stance.v1.json").
func SchemaPath(t string) (string, error) {
	kind, version := splitType(t)
	if kind == "" || version == "" {
		return "", fmt.Errorf("events: %q is not an accordwatch event type", t)
	}
	return "schemas/" + kind + "." + version + ".json", nil
}

// SchemaID returns the $id of the schema of event type t.
func SchemaID(t string) (string, error) {
	kind, version := splitType(t)
	if kind == "" || version == "" {
		return "", fmt.Errorf("events: %q is not an accordwatch event type", t)
	}
	return SchemaIDPrefix + kind + "." + version, nil
}

// Schema returns the JSON Schema of event type t.
func Schema(t string) ([]byte, error) {
	p, err := SchemaPath(t)
	if err != nil {
		return nil, err
	}
	b, err := fs.ReadFile(Schemas, p)
	if err != nil {
		return nil, fmt.Errorf("events: no schema for %s: %w", t, err)
	}
	return b, nil
}
