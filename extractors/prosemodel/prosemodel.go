// Package prosemodel shares one prose v2 model across a process.
//
// prose's NewDocument reloads its embedded model on every call unless it is
// given one with prose.UsingModel; loading costs ~290 ms and ~65 MB, tagging
// a short article with a shared model ~20 ms. Every caller in accordwatch
// goes through this package.
package prosemodel

import (
	"fmt"
	"sync"

	"github.com/jdkato/prose/v2"
)

var (
	once  sync.Once
	model *prose.Model
)

// Model returns the process-wide prose model, loading it on first use.
func Model() *prose.Model {
	once.Do(func() {
		doc, err := prose.NewDocument("Load.", prose.WithSegmentation(false))
		if err != nil {
			panic("prosemodel: loading prose's embedded model: " + err.Error())
		}
		model = doc.Model
	})
	return model
}

// Document tokenises, tags and (if entities is true) runs named-entity
// recognition on text with the shared model. Sentence segmentation is off:
// accordwatch segments on the raw text so that offsets stay exact.
//
// prose v2.0.0 panics on some input (its contraction splitter cuts a word
// at an offset found in the lower-cased word, which can be longer: invalid
// UTF-8, "Ⱥ"); Document turns that panic into an error.
func Document(text string, entities bool) (doc *prose.Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("prosemodel: prose failed on the text: %v", r)
		}
	}()
	return prose.NewDocument(text,
		prose.UsingModel(Model()),
		prose.WithSegmentation(false),
		prose.WithExtraction(entities),
	)
}
