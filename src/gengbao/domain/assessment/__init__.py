"""Assessment (考核): the scorecard engine — profiles of items, scores, bands and vetoes — shared by
every capability that supplies facts (targets, tasks, and later ledgers, cases and rules). Pure."""
