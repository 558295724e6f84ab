package batch

// Test hooks for the external tests.

// ChunkedLookups makes im look people up chunk by chunk; directory makes
// it load the whole registry first instead.
func ChunkedLookups(im *ContributionImport, directory bool) {
	im.lookup = lookupChunks
	if directory {
		im.lookup = lookupDirectory
	}
}

// SmallBatches makes im resolve chunk rows at a time (so SortRows below
// ResolveRows cuts runs) and post perTx rows per transaction.
func SmallBatches(im *ContributionImport, chunk, perTx int) {
	im.chunkRows, im.postRows = chunk, perTx
}
