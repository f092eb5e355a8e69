//! Tests of the semantic diff, one kind of change at a time.
