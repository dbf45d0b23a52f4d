"""Dev-only scripts and test scaffolding; not part of the runload package or its wheel."""
