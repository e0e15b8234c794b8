package digest

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accordwatch/accordwatch/store"
	"github.com/accordwatch/accordwatch/store/sqlstore"
)

// TestLoad records a month of stances in a real store and checks the
// digests, and above all the boards, of days before, between and after
// them.
func TestLoad(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "digest.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	loc := paris(t)
	at := func(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, loc) }
	// Reports days apart, each from the outlet of the previous one, so
	// that every one is a change.
	for i, o := range []struct {
		day                   int
		actor, accord, stance string
	}{
		{1, "BRA", "pall-mall-process", "declined"},
		{10, "BRA", "pall-mall-process", "signed"},
		{10, "USA", "counter-ransomware-initiative", "supports"},
		{20, "BRA", "pall-mall-process", "withdrew"},
		{20, "JPN", "pall-mall-process", "signed"},
	} {
		_, err := st.RecordObservation(ctx, store.Observation{
			ID: "obs-" + string(rune('a'+i)), Actor: o.actor, Accord: o.accord, Stance: o.stance,
			Outlet: "Wire", URL: "https://wire.example/" + o.actor, Title: o.actor + " " + o.stance,
			Evidence: o.actor + " " + o.stance + ".", Published: at(o.day), Observed: at(o.day),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := st.PutFeedState(ctx, store.FeedState{URL: feedHealthy, LastPolled: at(25), LastSuccess: at(25)}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutFeedState(ctx, store.FeedState{URL: feedFailing, LastPolled: at(25), Failures: 2, LastError: "HTTP 503"}); err != nil {
		t.Fatal(err)
	}
	// Not configured: added at run time, or removed from the
	// configuration since. Reported on the days up to its last poll.
	if err := st.PutFeedState(ctx, store.FeedState{URL: "https://added.example/feed", LastPolled: at(15), LastSuccess: at(15)}); err != nil {
		t.Fatal(err)
	}

	// board renders a board as "actor/accord=stance[*]" cells, * for changed.
	board := func(d Digest) string {
		var cells []string
		for _, r := range d.Board.Rows {
			for i, c := range r.Cells {
				if c.Stance == "" {
					continue
				}
				s := r.Actor + "/" + d.Board.Accords[i].ID + "=" + c.Stance
				if c.Changed {
					s += "*"
				}
				cells = append(cells, s)
			}
		}
		return strings.Join(cells, " ")
	}
	for _, tc := range []struct {
		date    string
		changes int
		board   string
	}{
		{"2026-10-31", 0, ""},
		{"2026-11-01", 1, "BRA/pall-mall-process=declined*"},
		{"2026-11-05", 0, "BRA/pall-mall-process=declined"},
		{"2026-11-10", 2, "BRA/pall-mall-process=signed* USA/counter-ransomware-initiative=supports*"},
		{"2026-11-15", 0, "BRA/pall-mall-process=signed USA/counter-ransomware-initiative=supports"},
		{"2026-11-20", 2, "BRA/pall-mall-process=withdrew* JPN/pall-mall-process=signed* USA/counter-ransomware-initiative=supports"},
		{"2026-11-30", 0, "BRA/pall-mall-process=withdrew JPN/pall-mall-process=signed USA/counter-ransomware-initiative=supports"},
	} {
		d, err := Load(ctx, st, tc.date, loc, Records{Names: names, Feeds: []string{feedHealthy, feedFailing}}, at(30))
		if err != nil {
			t.Fatalf("%s: %v", tc.date, err)
		}
		if len(d.Changes) != tc.changes {
			t.Errorf("%s: %d changes, want %d", tc.date, len(d.Changes), tc.changes)
		}
		if got := board(d); got != tc.board {
			t.Errorf("%s: board\n got %s\nwant %s", tc.date, got, tc.board)
		}
		healthy := 1
		if tc.date <= "2026-11-15" {
			healthy = 2
		}
		if h := d.FeedHealth; h == nil || h.Healthy != healthy || h.Failing != 1 || h.NotPolled != 0 {
			t.Errorf("%s: feed health %+v, want %d healthy and 1 failing", tc.date, h, healthy)
		}
	}
	if _, err := Load(ctx, st, "2026-11-31", loc, Records{}, at(30)); err == nil {
		t.Error("Load accepted 2026-11-31")
	}

	// An empty store still reports feed health: none polled yet.
	empty, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "empty.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	d, err := Load(ctx, empty, "2026-11-26", loc, Records{}, at(30))
	if err != nil {
		t.Fatal(err)
	}
	if d.FeedHealth == nil || len(d.FeedHealth.Feeds) != 0 {
		t.Errorf("feed health of an empty store = %+v", d.FeedHealth)
	}
}

// TestWriteNoChangesFeedHealth: every format says that there was no
// change and reports the feed health.
func TestWriteNoChangesFeedHealth(t *testing.T) {
	r := hostileRecords(t)
	r.Changes, r.Contradictions = nil, nil
	d := BuildFrom("2026-11-26", paris(t), r, time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
	write := func(format string) string {
		t.Helper()
		var buf bytes.Buffer
		if err := Write(&buf, d, format); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}

	md := write("md")
	t.Logf("\n%s", md)
	for _, want := range []string{
		"# accordwatch digest — 2026-11-26 (Europe/Paris)\n\nNo stance changes on 2026-11-26.\n",
		"\n## Feed health\n\n1 feed healthy / 1 failing / 1 not polled yet.\n\n",
		`- **"\>\<img src=x onerror=alert\(1\)\>** (https://broken.example/rss?a=1\&b=2): parsing feed: \<script\>window.\_\_pwned=1\</script\> "\>\<img src=x onerror=alert\(1\)\> \(4 failed polls in a row; last success 2026-11-20 06:00 CET\)` + "\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if strings.Contains(md, "removed.example") || strings.Contains(md, "wire.example") {
		t.Error("markdown lists a feed that is not configured or not failing")
	}
	if m := unescaped.FindString(md); m != "" {
		t.Errorf("markdown has an unescaped special character: %q", m)
	}

	var back Digest
	if err := json.Unmarshal([]byte(write("json")), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Changes) != 0 || back.FeedHealth == nil {
		t.Fatalf("JSON: %+v", back)
	}
	h := back.FeedHealth
	if h.Healthy != 1 || h.Failing != 1 || h.NotPolled != 1 || len(h.Feeds) != 3 {
		t.Errorf("JSON feed health = %+v", h)
	}
	if f := h.Feeds[0]; f.URL != feedFailing || f.Name != imgOnerror || f.Status != FeedFailing || f.Failures != 4 ||
		!strings.HasPrefix(f.LastError, "parsing feed: ") || f.LastSuccess == nil || f.LastSuccess.Format(time.RFC3339) != "2026-11-20T06:00:00+01:00" {
		t.Errorf("JSON failing feed = %+v", f)
	}
	if h.Feeds[1].Status != FeedNotPolled || h.Feeds[1].URL != feedNotPolled || h.Feeds[2].Status != FeedHealthy {
		t.Errorf("JSON feeds = %+v", h.Feeds)
	}
	if len(back.Board.Rows) != hostileActors {
		t.Errorf("JSON board has %d rows", len(back.Board.Rows))
	}

	rows, err := csv.NewReader(strings.NewReader(write("csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := make(map[string]int)
	for i, h := range rows[0] {
		col[h] = i
	}
	if len(rows) != 4 {
		t.Fatalf("CSV has %d rows, want the header and 3 feeds", len(rows))
	}
	for i, want := range []map[string]string{
		{"kind": "feed", "url": feedFailing, "outlet": imgOnerror, "feed_status": "failing", "feed_failures": "4",
			"feed_last_success": "2026-11-20T06:00:00+01:00", "stance": "", "sources": ""},
		{"kind": "feed", "url": feedNotPolled, "feed_status": "not_polled", "feed_failures": "0", "feed_last_polled": ""},
		{"kind": "feed", "url": feedHealthy, "outlet": "Wire & Co", "feed_status": "healthy", "feed_last_error": ""},
	} {
		for field, w := range want {
			if got := rows[i+1][col[field]]; got != w {
				t.Errorf("CSV row %d %s = %q, want %q", i+1, field, got, w)
			}
		}
	}
	if !strings.HasPrefix(rows[1][col["feed_last_error"]], "parsing feed: <script>") {
		t.Errorf("CSV feed_last_error = %q", rows[1][col["feed_last_error"]])
	}
}
