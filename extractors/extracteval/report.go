package extracteval

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes the text score and its worst pages for a reader.
func (r TextReport) WriteText(w io.Writer, worst int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s main text: %d pages, precision %.4f, recall %.4f, F1 %.4f\n",
		r.Set, r.Pages, r.Precision, r.Recall, r.F1)
	if worst > 0 {
		fmt.Fprintf(&b, "worst pages (precision, recall):\n")
		for _, res := range r.Worst(worst) {
			id := res.ID
			if r.Set == Scrapinghub {
				id = id[:min(12, len(id))] // a long hash
			}
			fmt.Fprintf(&b, "  P %.2f  R %.2f  %s  %s", res.Precision, res.Recall, id, res.URL)
			if res.Err != "" {
				fmt.Fprintf(&b, "  (%s)", res.Err)
			}
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteText writes the metadata score and the pages with the most wrong
// fields for a reader.
func (r MetaReport) WriteText(w io.Writer, worst int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "fundus metadata: %d pages, title exact %d/%d = %.3f, date to the day %d/%d = %.3f, authors recall %d/%d = %.3f\n",
		r.Pages, r.TitleOK, r.TitleN, r.Title, r.DateOK, r.DateN, r.Date, r.AuthorsFound, r.AuthorsN, r.AuthorsRecall)
	if worst > 0 {
		fmt.Fprintf(&b, "pages with wrong fields:\n")
		for _, res := range r.Worst(worst) {
			fmt.Fprintf(&b, "  %s", res.Path)
			if res.Err != "" {
				fmt.Fprintf(&b, "  (%s)", res.Err)
			}
			b.WriteByte('\n')
			if !res.TitleOK {
				fmt.Fprintf(&b, "    title:   got %q\n             want %q\n", res.GotTitle, res.WantTitle)
			}
			if !res.DateOK {
				got := res.GotDate
				if got == "" {
					got = "none"
				}
				fmt.Fprintf(&b, "    date:    got %s, want %s\n", got, res.WantDate)
			}
			if len(res.MissingAuthors) > 0 {
				fmt.Fprintf(&b, "    authors: missing %q, got %q\n", res.MissingAuthors, res.GotAuthors)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
