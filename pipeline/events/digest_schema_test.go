package events_test

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/accordwatch/accordwatch/pipeline/digest"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/pipeline/events/contract"
	"github.com/accordwatch/accordwatch/store"
)

// TestDigestSchemaMatchesDigest checks that the digest schema describes the
// JSON of package digest, object by object.
func TestDigestSchemaMatchesDigest(t *testing.T) {
	s := readSchema(t, events.TypeDigest)
	checkFields(t, events.TypeDigest, reflect.TypeFor[digest.Digest](), s)
	for def, typ := range map[string]reflect.Type{
		"change":        reflect.TypeFor[digest.Entry](),
		"contradiction": reflect.TypeFor[digest.Contradiction](),
		"board":         reflect.TypeFor[digest.Board](),
		"boardAccord":   reflect.TypeFor[digest.BoardAccord](),
		"boardRow":      reflect.TypeFor[digest.BoardRow](),
		"boardCell":     reflect.TypeFor[digest.BoardCell](),
		"feedHealth":    reflect.TypeFor[digest.FeedHealth](),
		"feedStatus":    reflect.TypeFor[digest.FeedStatus](),
	} {
		d, ok := s.Defs[def]
		if !ok {
			t.Errorf("%s: no $defs/%s for %s", events.TypeDigest, def, typ)
			continue
		}
		if d.Additional == nil || *d.Additional {
			t.Errorf("%s: $defs/%s: additionalProperties is not false", events.TypeDigest, def)
		}
		checkFields(t, events.TypeDigest+" $defs/"+def, typ, d)
	}
}

// TestDigestJSONValidates builds digests as `accordwatch digest --format
// json` writes them, empty and full, and validates them.
func TestDigestJSONValidates(t *testing.T) {
	v, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2025, 6, 2, 0, 0, 0, 0, loc)
	at := func(h int) time.Time { return day.Add(time.Duration(h) * time.Hour).UTC() }
	full := digest.Records{
		Changes: []store.Change{
			{ID: "chg-1", Actor: "USA", Accord: "paris-call", Previous: "signed", PreviousSince: at(-48), Stance: "withdrew",
				Since: at(8), Sources: 2, Detected: at(9), ObservationID: "o1", Evidence: "The United States withdrew.",
				URL: "https://wire.example/a", Outlet: "Wire", Title: "US withdraws"},
			{ID: "chg-2", Actor: "KEN", Accord: "paris-call", Stance: "signed", Since: at(10), Sources: 1, Detected: at(10),
				ObservationID: "o2", Evidence: "Kenya signed.", Speaker: "the minister"},
		},
		Contradictions: []store.Contradiction{
			{ID: "con-3", Actor: "KEN", Accord: "paris-call", Current: "signed", CurrentSince: at(10), Stance: "declined",
				Since: at(11), Detected: at(12), ObservationID: "o3", Evidence: "Kenya declined.", ConfirmedBy: ""},
		},
		Current: []store.Current{
			{Actor: "USA", Accord: "paris-call", Stance: "withdrew", Since: at(8), ObservationID: "o1"},
			{Actor: "KEN", Accord: "paris-call", Stance: "signed", Since: at(10), ObservationID: "o2"},
			{Actor: "FRA", Accord: "christchurch-call", Stance: "supports", ObservationID: "o4"},
		},
		FeedStates: []store.FeedState{
			{URL: "https://wire.example/feed.xml", LastPolled: at(12), LastSuccess: at(12)},
			{URL: "https://ledger.example/rss", LastPolled: at(12), LastSuccess: at(-3), Failures: 2, LastError: "status 503"},
		},
		Feeds: []string{"https://wire.example/feed.xml", "https://ledger.example/rss", "https://new.example/atom"},
		Names: func(kind, id string) string { return map[string]string{"USA": "United States"}[id] },
	}
	for name, d := range map[string]digest.Digest{
		"empty, built without feeds": digest.Build("2025-06-02", time.UTC, nil, nil, nil, at(20)),
		"full":                       digest.BuildFrom("2025-06-02", loc, full, at(20)),
	} {
		var b bytes.Buffer
		if err := digest.Write(&b, d, "json"); err != nil {
			t.Fatal(err)
		}
		if err := v.ValidateBody(events.TypeDigest, b.Bytes()); err != nil {
			t.Errorf("%s: %v\n%s", name, err, b.String())
		}
	}
}
