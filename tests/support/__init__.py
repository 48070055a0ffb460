"""Pytest glue the test modules share (fixtures' helpers); the site's machinery itself is the
project library, site_machinery/."""
