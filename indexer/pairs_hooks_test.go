package indexer

// ForgetPairs lets the tests of package indexer_test drop the pair postings read so far.
var ForgetPairs = forgetPairs
