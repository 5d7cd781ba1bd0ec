"""Shared by the resource pages."""

from openvet.core.view_helpers import page as page
