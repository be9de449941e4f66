"""Python-Markdown extensions of ours, where no well-kept one reads Markdown as CommonMark does."""
