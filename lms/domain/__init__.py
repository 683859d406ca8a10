"""The rules of the academy, free of Flask: each module takes a Session and leaves the commit to its caller."""
