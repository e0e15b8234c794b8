// Package catalog loads accordwatch's catalogs of actors (states, intergovernmental
// bodies, companies, NGOs) and accords from YAML data, and finds their mentions in
// text.
//
// The catalogs are data: configs/actors.yaml and configs/accords.yaml. Load reads
// and validates them and builds a matcher once, so that Find is cheap enough to run
// on every article.
package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"

	"github.com/accordwatch/accordwatch/configs"
)

// File names read by Load.
const (
	ActorsFile  = "actors.yaml"
	AccordsFile = "accords.yaml"
)

// Actor kinds.
const (
	KindState   = "state"
	KindIGO     = "igo"
	KindCompany = "company"
	KindNGO     = "ngo"
)

// Accord kinds.
const (
	KindTreaty      = "treaty"
	KindDeclaration = "declaration"
)

// Actor is a state, intergovernmental body, company or NGO that can take a stance
// on an accord, with the ways news text names it.
type Actor struct {
	// ID is the ISO 3166-1 alpha-3 code for states ("USA"), the upper-case
	// acronym for the main intergovernmental bodies ("EU", "UN") and a lower-case
	// slug of the common name otherwise ("microsoft", "human-rights-watch").
	ID string `yaml:"id"`
	// Kind is one of KindState, KindIGO, KindCompany and KindNGO.
	Kind string `yaml:"kind"`
	// Name is the display name.
	Name string `yaml:"name"`
	// Names are full and short names ("United States", "U.S.").
	Names []string `yaml:"names"`
	// Demonyms are adjectives and nouns for the people ("American", "Americans").
	Demonyms []string `yaml:"demonyms"`
	// Metonyms are capitals and seats standing for the actor ("Washington",
	// "the White House").
	Metonyms []string `yaml:"metonyms"`
	// Bodies are institutions of the actor ("State Department").
	Bodies []string `yaml:"bodies"`
	// Roles are titled offices that denote the actor ("U.S. Secretary of State").
	Roles []string `yaml:"roles"`
	// Lookalikes are names that contain one of the actor's names but do not
	// denote it ("Washington Post", "Latin America").
	Lookalikes []string `yaml:"lookalikes"`
}

// Accord is an international cyber accord, with the ways news text names it.
type Accord struct {
	// ID is the accord's slug ("paris-call").
	ID string `yaml:"id"`
	// Name is the full, display name.
	Name string `yaml:"name"`
	// Kind is KindTreaty or KindDeclaration.
	Kind string `yaml:"kind"`
	// Aliases are names that denote this accord anywhere ("Paris Call").
	Aliases []string `yaml:"aliases"`
	// Refs are generic short references ("the Call", "the treaty") that denote the
	// accord only in an article about it.
	Refs []string `yaml:"refs"`
	// Lookalikes are names that look like the accord's but are not it
	// ("Paris Agreement").
	Lookalikes []string `yaml:"lookalikes"`
	// Custodian is the id of the organisation that keeps the accord (the
	// UN for a UN convention); its officials' statements about the accord
	// are support. Empty if none.
	Custodian string `yaml:"custodian"`
	// Unsigned is true for frameworks that are endorsed by consensus, not
	// signed: "joined" them is support, not a signature.
	Unsigned bool `yaml:"unsigned"`
}

// Catalog holds the actors and accords and a matcher for their mentions.
// A Catalog is safe for concurrent use; callers must not modify its slices.
type Catalog struct {
	// Actors lists the actors in file order.
	Actors []Actor
	// Accords lists the accords in file order.
	Accords []Accord

	actorIdx  map[string]int
	accordIdx map[string]int
	m         *matcher
}

// Load reads ActorsFile and AccordsFile from fsys, validates them and builds the
// matcher. Errors name the file and the offending entry.
func Load(fsys fs.FS) (*Catalog, error) {
	var c Catalog
	if err := readYAML(fsys, ActorsFile, &c.Actors); err != nil {
		return nil, err
	}
	if err := readYAML(fsys, AccordsFile, &c.Accords); err != nil {
		return nil, err
	}
	if err := c.index(); err != nil {
		return nil, err
	}
	m, err := newMatcher(c.Actors, c.Accords)
	if err != nil {
		return nil, err
	}
	c.m = m
	return &c, nil
}

var (
	defaultOnce sync.Once
	defaultCat  *Catalog
	defaultErr  error
)

// Default returns the catalog embedded in package configs, loaded once.
func Default() (*Catalog, error) {
	defaultOnce.Do(func() {
		// Load's errors already name the package and the file.
		defaultCat, defaultErr = Load(configs.FS)
	})
	return defaultCat, defaultErr
}

// Actor returns the actor with the given id.
func (c *Catalog) Actor(id string) (Actor, bool) {
	i, ok := c.actorIdx[id]
	if !ok {
		return Actor{}, false
	}
	return c.Actors[i], true
}

// Accord returns the accord with the given id.
func (c *Catalog) Accord(id string) (Accord, bool) {
	i, ok := c.accordIdx[id]
	if !ok {
		return Accord{}, false
	}
	return c.Accords[i], true
}

func readYAML(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("catalog: reading %s: %w", name, err)
	}
	if err := yaml.UnmarshalWithOptions(data, v, yaml.DisallowUnknownField()); err != nil {
		return fmt.Errorf("catalog: parsing %s: %w", name, err)
	}
	return nil
}

// entryError is a validation error about one catalog entry.
func entryError(file string, i int, id, format string, args ...any) error {
	return fmt.Errorf("catalog: %s: entry %d (id %q): %s", file, i+1, id, fmt.Sprintf(format, args...))
}

// index validates ids, names and kinds and builds the id indexes. Conflicts
// between patterns are checked by newMatcher.
func (c *Catalog) index() error {
	var errs []error
	c.actorIdx = make(map[string]int, len(c.Actors))
	for i, a := range c.Actors {
		if err := checkID(a.ID); err != nil {
			errs = append(errs, entryError(ActorsFile, i, a.ID, "%v", err))
			continue
		}
		if j, dup := c.actorIdx[a.ID]; dup {
			errs = append(errs, entryError(ActorsFile, i, a.ID, "duplicate id (also entry %d)", j+1))
			continue
		}
		c.actorIdx[a.ID] = i
		switch a.Kind {
		case KindState, KindIGO, KindCompany, KindNGO:
		default:
			errs = append(errs, entryError(ActorsFile, i, a.ID, "kind %q is not one of state, igo, company, ngo", a.Kind))
		}
		if strings.TrimSpace(a.Name) == "" {
			errs = append(errs, entryError(ActorsFile, i, a.ID, "empty name"))
		}
		if len(a.Names) == 0 {
			errs = append(errs, entryError(ActorsFile, i, a.ID, "no names"))
		}
	}
	c.accordIdx = make(map[string]int, len(c.Accords))
	for i, a := range c.Accords {
		if err := checkID(a.ID); err != nil {
			errs = append(errs, entryError(AccordsFile, i, a.ID, "%v", err))
			continue
		}
		if j, dup := c.accordIdx[a.ID]; dup {
			errs = append(errs, entryError(AccordsFile, i, a.ID, "duplicate id (also entry %d)", j+1))
			continue
		}
		if _, clash := c.actorIdx[a.ID]; clash {
			errs = append(errs, entryError(AccordsFile, i, a.ID, "id is also an actor id in %s", ActorsFile))
		}
		c.accordIdx[a.ID] = i
		switch a.Kind {
		case KindTreaty, KindDeclaration:
		default:
			errs = append(errs, entryError(AccordsFile, i, a.ID, "kind %q is not one of treaty, declaration", a.Kind))
		}
		if strings.TrimSpace(a.Name) == "" {
			errs = append(errs, entryError(AccordsFile, i, a.ID, "empty name"))
		}
		if len(a.Aliases) == 0 {
			errs = append(errs, entryError(AccordsFile, i, a.ID, "no aliases"))
		}
		if a.Custodian != "" {
			if _, ok := c.actorIdx[a.Custodian]; !ok {
				errs = append(errs, entryError(AccordsFile, i, a.ID, "custodian %q is not an actor id", a.Custodian))
			}
		}
	}
	return errors.Join(errs...)
}

func checkID(id string) error {
	if id == "" {
		return errors.New("empty id")
	}
	if strings.ContainsFunc(id, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return errors.New("id contains a space or control character")
	}
	return nil
}
