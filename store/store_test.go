package store

import (
	"testing"
	"time"
)

func TestEffective(t *testing.T) {
	pub := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	obs := pub.Add(48 * time.Hour)
	for _, tc := range []struct {
		name string
		o    Observation
		want time.Time
	}{
		{"published", Observation{Published: pub, Observed: obs}, pub},
		{"unknown published", Observation{Observed: obs}, obs},
		{"nothing known", Observation{}, time.Time{}},
	} {
		if got := tc.o.Effective(); !got.Equal(tc.want) {
			t.Errorf("%s: Effective() = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestChangeID(t *testing.T) {
	if got := ChangeID("obs-1"); got != "chg-obs-1" {
		t.Errorf("ChangeID(obs-1) = %q, want chg-obs-1", got)
	}
}
