"""The teaching campus fixtures, for the tests of the lean selection route."""

from openvet.teaching.tests.conftest import campus, other, schools

__all__ = ["campus", "other", "schools"]
