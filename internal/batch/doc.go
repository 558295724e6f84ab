// Package batch reads the files the fund's systems send (people, employment
// relations, contributions): line by line with a bounded line length, each
// row validated on its own, rejected rows reported with their line number
// and a reason in Spanish, and accepted rows handed to a Poster in batches
// that each commit in one transaction. Posting is idempotent (every row has
// a natural key), so a run that was killed is completed by running it
// again, and a file posted twice posts nothing the second time.
package batch
