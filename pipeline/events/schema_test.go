package events_test

import (
	"encoding/json"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/pipeline/events/contract"
	"github.com/accordwatch/accordwatch/store"
)

// schemaDoc is the part of a schema document the tests look at.
type schemaDoc struct {
	Schema     string                     `json:"$schema"`
	ID         string                     `json:"$id"`
	Title      string                     `json:"title"`
	Properties map[string]json.RawMessage `json:"properties"`
	Required   []string                   `json:"required"`
	Additional *bool                      `json:"additionalProperties"`
	Defs       map[string]schemaDoc       `json:"$defs"`
}

func readSchema(t *testing.T, typ string) schemaDoc {
	t.Helper()
	raw, err := events.Schema(typ)
	if err != nil {
		t.Fatal(err)
	}
	var d schemaDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("%s: %v", typ, err)
	}
	return d
}

// TestSchemaFiles checks that every event type has its schema file, named
// and identified after the type, and that there is no other file.
func TestSchemaFiles(t *testing.T) {
	want := map[string]bool{}
	for _, typ := range events.Types {
		p, err := events.SchemaPath(typ)
		if err != nil {
			t.Fatal(err)
		}
		want[p] = true
		d := readSchema(t, typ)
		id, _ := events.SchemaID(typ)
		if d.Schema != "https://json-schema.org/draft/2020-12/schema" || d.ID != id || d.Title != typ {
			t.Errorf("%s: $schema %q, $id %q, title %q; want draft 2020-12, %q, %q", p, d.Schema, d.ID, d.Title, id, typ)
		}
		if d.Additional == nil || *d.Additional {
			t.Errorf("%s: additionalProperties is not false", p)
		}
	}
	files, err := fs.Glob(events.Schemas, "schemas/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !want[f] {
			t.Errorf("%s is the schema of no event type in events.Types", f)
		}
	}
	if _, err := contract.New(); err != nil {
		t.Fatal(err)
	}
}

// jsonFields returns the JSON names of the fields of struct type typ and
// those always present (without omitempty or omitzero).
func jsonFields(typ reflect.Type) (all, required []string) {
	for f := range typ.Fields() {
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		all = append(all, name)
		if !strings.Contains(","+opts+",", ",omitempty,") && !strings.Contains(","+opts+",", ",omitzero,") {
			required = append(required, name)
		}
	}
	slices.Sort(all)
	slices.Sort(required)
	return all, required
}

// checkFields reports the differences between the JSON fields of typ and
// the properties and required list of schema s.
func checkFields(t *testing.T, where string, typ reflect.Type, s schemaDoc) {
	t.Helper()
	all, required := jsonFields(typ)
	props := slices.Sorted(func(yield func(string) bool) {
		for k := range s.Properties {
			if !yield(k) {
				return
			}
		}
	})
	if !slices.Equal(all, props) {
		t.Errorf("%s: %s has fields %v, the schema properties %v", where, typ, all, props)
	}
	req := slices.Sorted(slices.Values(s.Required))
	if !slices.Equal(required, req) {
		t.Errorf("%s: %s always has %v, the schema requires %v", where, typ, required, req)
	}
}

// TestSchemasMatchEventTypes checks that each schema describes exactly the
// fields of its Go type, requiring those always encoded: a field added,
// renamed or made optional without updating the contract fails here.
func TestSchemasMatchEventTypes(t *testing.T) {
	for typ, v := range map[string]any{
		events.TypeArticle:       events.Article{},
		events.TypeQuote:         events.Quote{},
		events.TypeStance:        events.Stance{},
		events.TypeChange:        events.Change{},
		events.TypeContradiction: events.Contradiction{},
		events.TypeRetraction:    events.Retraction{},
	} {
		checkFields(t, typ, reflect.TypeOf(v), readSchema(t, typ))
	}
}

// TestStanceEnums checks that the schemas list exactly the stances of the
// store.
func TestStanceEnums(t *testing.T) {
	stances := []string{store.StanceSigned, store.StanceRatified, store.StanceSupports, store.StanceUndecided,
		store.StanceDeclined, store.StanceOpposes, store.StanceWithdrew}
	for _, typ := range events.Types {
		raw, _ := events.Schema(typ)
		var walk func(v any, path string)
		found := 0
		walk = func(v any, path string) {
			switch v := v.(type) {
			case map[string]any:
				if e, ok := v["enum"].([]any); ok && slices.Contains(e, any(store.StanceSigned)) {
					found++
					var got []string
					for _, s := range e {
						if s != "" {
							got = append(got, s.(string))
						}
					}
					if !slices.Equal(got, stances) {
						t.Errorf("%s %s: stance enum %v, want %v", typ, path, got, stances)
					}
				}
				for k, c := range v {
					walk(c, path+"/"+k)
				}
			case []any:
				for _, c := range v {
					walk(c, path)
				}
			}
		}
		var doc any
		json.Unmarshal(raw, &doc)
		walk(doc, "#")
		if typ != events.TypeArticle && typ != events.TypeQuote {
			if found == 0 {
				t.Errorf("%s: no stance enum", typ)
			}
		}
	}
}

var (
	t0 = time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	t1 = t0.Add(90 * time.Minute)
)

// sampleEvents returns events of every kind, complete and minimal, as the
// pipeline makes them.
func sampleEvents() map[string][]any {
	const id = "0123456789abcdef01234567"
	return map[string][]any{
		events.TypeArticle: {
			events.Article{ID: id, URL: "https://wire.example/a", FeedURL: "https://wire.example/feed.xml", Outlet: "Wire",
				Title: "Kenya signs the Paris Call", Authors: []string{"Ada"}, Published: t0, Fetched: t1, Source: "page",
				Accords: []string{"paris-call"}, Quotes: 1, Stances: 1, Text: "Kenya signs the Paris Call\n\nKenya signed it."},
			events.Article{ID: id, URL: "https://wire.example/b", FeedURL: "https://wire.example/feed.xml", Outlet: "wire.example",
				Fetched: t1, Source: "feed", FetchError: "status 404"},
		},
		events.TypeQuote: {
			events.Quote{ID: id, ArticleID: id, URL: "https://wire.example/a", Outlet: "Wire", Accord: "paris-call",
				Text: "Rules matter.", Speaker: "the minister", Actor: "KEN", Start: 10, End: 23, Published: t0},
			events.Quote{ID: id, ArticleID: id, Text: "Hello."},
		},
		events.TypeStance: {
			events.Stance{ID: id, ArticleID: id, URL: "https://wire.example/a", Outlet: "Wire", Title: "t", Actor: "KEN",
				Accord: "paris-call", Stance: "signed", Evidence: "Kenya signed it.", EvidenceStart: 1, EvidenceEnd: 17,
				Speaker: "the minister", Rule: "signed", Confidence: 0.85, Published: t0, Observed: t1},
			events.Stance{ID: id, ArticleID: id, Actor: "KEN", Accord: "paris-call", Stance: "withdrew", Historical: true,
				Evidence: "e", Rule: "r", Observed: t1},
		},
		events.TypeChange: {
			events.Change{ID: "chg-" + id, Actor: "KEN", Accord: "paris-call", Previous: "declined", PreviousSince: t0,
				Stance: "signed", Since: t0, Sources: 2, Detected: t1, ObservationID: id, Evidence: "e", Speaker: "s",
				URL: "https://wire.example/a", Outlet: "Wire", Title: "t"},
			events.Change{ID: "chg-" + id, Actor: "KEN", Accord: "paris-call", Stance: "signed", Since: t0, Sources: 1,
				Detected: t1, ObservationID: id, Evidence: "e"},
			// Corrections: to the stance of the remaining reports, and to none.
			events.Change{ID: "chg-" + id, Actor: "KEN", Accord: "paris-call", Previous: "signed", PreviousSince: t0,
				Stance: "declined", Since: t1, Sources: 1, Detected: t1, ObservationID: id, Evidence: "e", Corrects: id},
			events.Change{ID: "chg-" + id, Actor: "KEN", Accord: "paris-call", Previous: "signed", PreviousSince: t0,
				Since: t0, Detected: t1, Corrects: id},
		},
		events.TypeRetraction: {
			events.Retraction{ID: id, ObservationID: id, ArticleID: id, URL: "https://wire.example/a", Outlet: "Wire",
				Actor: "KEN", Accord: "paris-call", Stance: "signed", Reason: events.ReasonReanalysis, Rules: "v1.2.0", Retracted: t1},
			events.Retraction{ID: events.RetractionID(id, t0), ObservationID: id, ArticleID: id, Actor: "KEN", Accord: "paris-call",
				Stance: "withdrew", Historical: true, Reason: events.ReasonReanalysis, Retracted: t1},
		},
		events.TypeContradiction: {
			events.Contradiction{ID: "con-" + id, Actor: "KEN", Accord: "paris-call", Current: "signed", CurrentSince: t0,
				Stance: "declined", Since: t1, Detected: t1, ObservationID: id, Evidence: "e", Speaker: "s",
				URL: "https://wire.example/a", Outlet: "Wire", Title: "t"},
		},
	}
}

// TestSampleEventsValidate checks that events as the pipeline makes them
// validate, complete or minimal.
func TestSampleEventsValidate(t *testing.T) {
	v, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	for typ, evs := range sampleEvents() {
		for _, ev := range evs {
			body, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			if err := v.ValidateBody(typ, body); err != nil {
				t.Errorf("%s\n%s", err, body)
			}
		}
	}
}

// TestSchemasRejectMistakes checks that the schemas catch typical mistakes.
func TestSchemasRejectMistakes(t *testing.T) {
	v, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	valid := func(typ string) map[string]any {
		b, _ := json.Marshal(sampleEvents()[typ][0])
		var m map[string]any
		json.Unmarshal(b, &m)
		return m
	}
	for _, tc := range []struct {
		name   string
		typ    string
		mutate func(m map[string]any)
	}{
		{"missing required field", events.TypeStance, func(m map[string]any) { delete(m, "actor") }},
		{"unknown field", events.TypeStance, func(m map[string]any) { m["polarity"] = "positive" }},
		{"renamed field", events.TypeQuote, func(m map[string]any) { m["articleId"] = m["article_id"]; delete(m, "article_id") }},
		{"stance not in the enum", events.TypeStance, func(m map[string]any) { m["stance"] = "signed-up" }},
		{"change to an empty stance", events.TypeChange, func(m map[string]any) { m["stance"] = "" }},
		{"change without a source", events.TypeChange, func(m map[string]any) { m["sources"] = 0 }},
		{"change without its observation", events.TypeChange, func(m map[string]any) { m["observation_id"] = "" }},
		{"correction to no stance with a source", events.TypeChange, func(m map[string]any) {
			m["stance"], m["corrects"] = "", m["observation_id"]
		}},
		{"correction of no observation id", events.TypeChange, func(m map[string]any) { m["corrects"] = "chg-1" }},
		{"retraction for an unknown reason", events.TypeRetraction, func(m map[string]any) { m["reason"] = "typo" }},
		{"retraction without its time", events.TypeRetraction, func(m map[string]any) { delete(m, "retracted") }},
		{"retraction of no stance", events.TypeRetraction, func(m map[string]any) { m["stance"] = "" }},
		{"contradiction of no stance", events.TypeContradiction, func(m map[string]any) { m["current"] = "" }},
		{"time not RFC 3339", events.TypeStance, func(m map[string]any) { m["observed"] = "2025-06-02 10:00" }},
		{"time as a number", events.TypeChange, func(m map[string]any) { m["detected"] = 1748858400 }},
		{"confidence above 1", events.TypeStance, func(m map[string]any) { m["confidence"] = 85 }},
		{"negative offset", events.TypeQuote, func(m map[string]any) { m["start"] = -1 }},
		{"offset not an integer", events.TypeQuote, func(m map[string]any) { m["end"] = 2.5 }},
		{"id not a hash", events.TypeArticle, func(m map[string]any) { m["id"] = "https://wire.example/a" }},
		{"change id without its prefix", events.TypeChange, func(m map[string]any) { m["id"] = m["observation_id"] }},
		{"unknown article source", events.TypeArticle, func(m map[string]any) { m["source"] = "cache" }},
		{"feed article without its fetch error", events.TypeArticle, func(m map[string]any) { m["source"] = "feed" }},
		{"page article with a fetch error", events.TypeArticle, func(m map[string]any) { m["fetch_error"] = "x" }},
		{"null list", events.TypeArticle, func(m map[string]any) { m["accords"] = nil }},
		{"actor with a space", events.TypeStance, func(m map[string]any) { m["actor"] = "United States" }},
		{"feed URL not a URI", events.TypeArticle, func(m map[string]any) { m["feed_url"] = "feeds/wire.xml" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := valid(tc.typ)
			tc.mutate(m)
			b, _ := json.Marshal(m)
			if err := v.ValidateBody(tc.typ, b); err == nil {
				t.Errorf("%s accepted: %s", tc.typ, b)
			}
		})
	}
}

// TestCloudEventAttributes checks the attributes of each event type and
// those derived from the subject for other values.
func TestCloudEventAttributes(t *testing.T) {
	ev := sampleEvents()
	for _, tc := range []struct {
		v    events.Event
		want events.Attributes
	}{
		{ev[events.TypeArticle][0].(events.Article),
			events.Attributes{Type: "org.accordwatch.article.v1", Source: "urn:accordwatch:outlet:Wire", Subject: "https://wire.example/a", Time: t1}},
		{ev[events.TypeQuote][0].(events.Quote),
			events.Attributes{Type: "org.accordwatch.quote.v1", Source: "urn:accordwatch:outlet:Wire", Subject: "paris-call/KEN"}},
		{ev[events.TypeQuote][1].(events.Quote),
			events.Attributes{Type: "org.accordwatch.quote.v1", Source: "urn:accordwatch:outlet:unknown", Subject: "none/unknown"}},
		{ev[events.TypeStance][0].(events.Stance),
			events.Attributes{Type: "org.accordwatch.stance.v1", Source: "urn:accordwatch:outlet:Wire", Subject: "paris-call/KEN", Time: t1}},
		{ev[events.TypeChange][0].(events.Change),
			events.Attributes{Type: "org.accordwatch.change.v1", Source: "urn:accordwatch:outlet:Wire", Subject: "paris-call/KEN", Time: t1}},
		{ev[events.TypeContradiction][0].(events.Contradiction),
			events.Attributes{Type: "org.accordwatch.contradiction.v1", Source: "urn:accordwatch:outlet:Wire", Subject: "paris-call/KEN", Time: t1}},
		{ev[events.TypeChange][3].(events.Change),
			events.Attributes{Type: "org.accordwatch.change.v1", Source: "urn:accordwatch:outlet:unknown", Subject: "paris-call/KEN", Time: t1}},
		{ev[events.TypeRetraction][0].(events.Retraction),
			events.Attributes{Type: "org.accordwatch.retraction.v1", Source: "urn:accordwatch:outlet:Wire", Subject: "paris-call/KEN", Time: t1}},
		{events.Stance{Outlet: "Test Wire", Accord: "paris-call", Actor: "USA"},
			events.Attributes{Type: events.TypeStance, Source: "urn:accordwatch:outlet:Test_Wire", Subject: "paris-call/USA"}},
	} {
		if got := tc.v.CloudEvent(); got != tc.want {
			t.Errorf("%T.CloudEvent() = %+v, want %+v", tc.v, got, tc.want)
		}
		// The subject's tokens and ce-subject agree.
		if s, ok := tc.v.(interface{ Subject() string }); ok && tc.want.Type != events.TypeArticle {
			tokens := strings.SplitN(s.Subject(), ".", 3)
			if strings.ReplaceAll(tokens[2], ".", "/") != tc.want.Subject {
				t.Errorf("subject %s, ce-subject %s", s.Subject(), tc.want.Subject)
			}
		}
	}
	// A value that is not an Event, such as a digest, gets attributes
	// from its subject.
	for _, tc := range []struct {
		subject string
		want    events.Attributes
	}{
		{events.DigestSubject("2025-06-02"), events.Attributes{Type: "org.accordwatch.digest.v1", Source: "urn:accordwatch:digest", Subject: "2025-06-02"}},
		{"accordwatch.stance.paris-call.USA", events.Attributes{Type: events.TypeStance, Source: "urn:accordwatch:stance", Subject: "paris-call/USA"}},
		{"accordwatch.novelty.x", events.Attributes{Type: "org.accordwatch.novelty.v1", Source: "urn:accordwatch:novelty", Subject: "x"}},
		{"elsewhere", events.Attributes{Type: "org.accordwatch.unknown.v1", Source: "urn:accordwatch:unknown"}},
	} {
		if got := events.AttributesOf(tc.subject, map[string]string{}); got != tc.want {
			t.Errorf("AttributesOf(%q) = %+v, want %+v", tc.subject, got, tc.want)
		}
	}
	for _, kind := range []string{events.KindArticle, events.KindQuote, events.KindStance, events.KindChange,
		events.KindContradiction, events.KindRetraction, events.KindDigest} {
		if got, want := events.TypeOf(kind), "org.accordwatch."+kind+".v1"; got != want {
			t.Errorf("TypeOf(%q) = %q, want %q", kind, got, want)
		}
	}
}
