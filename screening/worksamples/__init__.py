"""The timed work samples the server measures: the typing test and the buyer chat."""
