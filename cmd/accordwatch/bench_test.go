package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestBench runs the bench command on a tiny corpus and a small site: the
// NLP figures and the end-to-end figures come out, from a real daemon child
// process.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	corpus := t.TempDir()
	os.WriteFile(filepath.Join(corpus, "a.txt"), []byte("Pact\n\nKenya signed the Paris Call for Trust and Security in Cyberspace on Monday."), 0o644)
	os.WriteFile(filepath.Join(corpus, "b.txt"), []byte("Treaty\n\nChile declined to sign the UN Convention against Cybercrime, officials said."), 0o644)
	news := t.TempDir()
	os.MkdirAll(filepath.Join(news, "scrapinghub"), 0o755)
	os.WriteFile(filepath.Join(news, "scrapinghub", "ground-truth.json"),
		[]byte(`{"x":{"articleBody":"The city council approved a new budget for road repairs on Monday.","url":"u"}}`), 0o644)
	old := benchChild
	benchChild = func(args ...string) (*exec.Cmd, error) {
		a, _ := json.Marshal(args)
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+string(a))
		return cmd, nil
	}
	defer func() { benchChild = old }()
	var rep benchReport
	runJSON(t, &rep, "bench", "--corpus", corpus, "--news", news, "--feeds", "20",
		"--duration", "4s", "--cadence", "1s", "--item-every", "2s", "--related", "0.5", "--json")
	if rep.NLP == nil || rep.NLP.Corpus.Articles != 2 || rep.NLP.CorpusBaseline.ArticlesSec <= 0 || rep.NLP.CorpusRatio <= 0 {
		t.Errorf("NLP report = %+v", rep.NLP)
	}
	if rep.NLP != nil && (rep.NLP.ScreenRecall != 1 || rep.NLP.Mixed.Articles != 3) {
		t.Errorf("screen recall %v over %d mixed texts; want 1 over 3", rep.NLP.ScreenRecall, rep.NLP.Mixed.Articles)
	}
	e := rep.E2E
	if e == nil || e.BurstArticles < 20 || e.SteadyArticles == 0 || e.PeakRSSMB <= 0 || e.SteadyCPU <= 0 || e.ArticleP95 <= 0 || e.FeedGets < 20 {
		t.Errorf("end-to-end report = %+v", e)
	}
}
