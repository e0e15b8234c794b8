package quotes

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goldArticle is one line of the development corpus's gold.jsonl.
type goldArticle struct {
	ID     string      `json:"id"`
	Text   string      `json:"text"`
	Quotes []goldQuote `json:"quotes"`
}

type goldQuote struct {
	Speaker    string `json:"speaker"`
	Actor      string `json:"actor"`
	StartsWith string `json:"starts_with"`
	Optional   bool   `json:"optional"`
}

// corpusDir finds the shared corpus next to the repository root (the
// directory holding go.mod).
func corpusDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root not found")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(c, "gold.jsonl")); err != nil {
		t.Skip("corpus not available: ", err)
	}
	return c
}

func loadCorpus(t testing.TB) (string, []goldArticle) {
	dir := corpusDir(t)
	f, err := os.Open(filepath.Join(dir, "gold.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var arts []goldArticle
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var g goldArticle
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatal(err)
		}
		arts = append(arts, g)
	}
	return dir, arts
}

// fold normalises text for prefix matching as SCHEMA.md says: case,
// typographic quotes and apostrophes, whitespace.
func fold(s string) string {
	r := strings.NewReplacer("’", "'", "‘", "'", "“", "\"", "”", "\"")
	return strings.Join(strings.Fields(strings.ToLower(r.Replace(s))), " ")
}

// speakerMatches accepts the gold name or its last name.
func speakerMatches(pred, gold string) bool {
	p, g := fold(pred), fold(gold)
	if p == g {
		return true
	}
	gf := strings.Fields(g)
	return len(gf) > 1 && p == gf[len(gf)-1]
}

type score struct {
	preds, matchedPreds, gold, matchedGold, speakerOK int
}

func scoreArticle(t *testing.T, id string, got []Quote, gold []goldQuote, sc *score) {
	matchedGold := make([]bool, len(gold))
	for _, q := range got {
		ft := fold(q.Text)
		gi := -1
		for i, g := range gold {
			if strings.HasPrefix(ft, fold(g.StartsWith)) {
				gi = i
				break
			}
		}
		if gi >= 0 && gold[gi].Optional {
			continue
		}
		sc.preds++
		if gi < 0 {
			t.Logf("  spurious %s: %q (speaker %q, %s)", id, trunc(q.Text), q.Speaker, q.Evidence)
			continue
		}
		sc.matchedPreds++
		if !matchedGold[gi] {
			matchedGold[gi] = true
			sc.matchedGold++
			if speakerMatches(q.Speaker, gold[gi].Speaker) {
				sc.speakerOK++
			} else {
				t.Logf("  speaker  %s: %q got %q (%s) want %q", id, trunc(q.Text), q.Speaker, q.Evidence, gold[gi].Speaker)
			}
		}
	}
	for i, g := range gold {
		if g.Optional {
			continue
		}
		sc.gold++
		if !matchedGold[i] {
			t.Logf("  missed   %s: %q (%s)", id, g.StartsWith, g.Speaker)
		}
	}
}

func trunc(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

func TestCorpus(t *testing.T) {
	dir, arts := loadCorpus(t)
	var sc score
	for _, g := range arts {
		b, err := os.ReadFile(filepath.Join(dir, g.Text))
		if err != nil {
			t.Fatal(err)
		}
		scoreArticle(t, g.ID, Extract(string(b), nil), g.Quotes, &sc)
	}
	p := float64(sc.matchedPreds) / float64(sc.preds)
	r := float64(sc.matchedGold) / float64(sc.gold)
	s := float64(sc.speakerOK) / float64(sc.matchedGold)
	t.Logf("precision %.3f (%d/%d)  recall %.3f (%d/%d)  speaker accuracy %.3f (%d/%d)",
		p, sc.matchedPreds, sc.preds, r, sc.matchedGold, sc.gold, s, sc.speakerOK, sc.matchedGold)
	const floorP, floorR, floorS = 0.99, 0.99, 0.95
	if p < floorP || r < floorR || s < floorS {
		t.Errorf("below floor: precision %.3f (≥%.2f) recall %.3f (≥%.2f) speaker %.3f (≥%.2f)",
			p, floorP, r, floorR, s, floorS)
	}
}

func BenchmarkExtractCorpus(b *testing.B) {
	dir, arts := loadCorpus(b)
	var texts []string
	total := 0
	for _, g := range arts {
		bs, err := os.ReadFile(filepath.Join(dir, g.Text))
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(bs))
		total += len(bs)
	}
	b.SetBytes(int64(total))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, t := range texts {
			Extract(t, nil)
		}
	}
}
