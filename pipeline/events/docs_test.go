package events_test

import (
	"os"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/pipeline/events/contract"
)

// docsPath is the page that documents the events.
const docsPath = "../../docs/events.md"

// fence is a fenced code block of a Markdown page.
type fence struct {
	lang, text string
	line       int
}

func fences(page string) []fence {
	var out []fence
	var cur *fence
	var b strings.Builder
	for i, line := range strings.Split(page, "\n") {
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &fence{lang: strings.TrimPrefix(line, "```"), line: i + 1}
			b.Reset()
		case cur != nil && line == "```":
			cur.text = b.String()
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return out
}

// TestDocsExamples checks the examples of docs/events.md: each is a text
// block of the subject and headers ("subject: ...", then "name: value")
// followed by a JSON block of the body, and keeps the contract as a
// published message must. Every event type has one.
func TestDocsExamples(t *testing.T) {
	page, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	v, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	fs := fences(string(page))
	for i, f := range fs {
		if f.lang != "text" || !strings.HasPrefix(f.text, "subject: ") {
			continue
		}
		if i+1 == len(fs) || fs[i+1].lang != "json" {
			t.Errorf("%s:%d: example headers without a JSON body after them", docsPath, f.line)
			continue
		}
		var subject string
		h := nats.Header{}
		for _, line := range strings.Split(strings.TrimSpace(f.text), "\n") {
			k, val, ok := strings.Cut(line, ": ")
			switch {
			case !ok:
				t.Errorf("%s:%d: header line %q", docsPath, f.line, line)
			case k == "subject":
				subject = val
			default:
				h.Add(k, val)
			}
		}
		if err := v.Check(subject, h, []byte(fs[i+1].text)); err != nil {
			t.Errorf("%s:%d: example does not keep the contract: %v", docsPath, f.line, err)
		}
		covered[h.Get(bus.HeaderType)] = true
	}
	for _, typ := range events.Types {
		if !covered[typ] {
			t.Errorf("%s has no example of %s", docsPath, typ)
		}
	}
}
