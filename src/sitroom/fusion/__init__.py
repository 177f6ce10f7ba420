"""Fusion as entity resolution: reports of one real event, from any number of articles, become one event.

- `evidence.py`: what is compared — each report's profile (kind, date, place, targets, parties,
  tolls, victims' ages, people named, streets, time of day, shared sentences) and the level of
  each comparison for a pair, plus the vetoes that no score overrides;
- `weights.py`: Fellegi–Sunter m/u probabilities per level, estimated from labelled pairs
  (the shipped `weights.json`), turning levels into a log-odds score;
- `cluster.py`: blocking keys (`link_window`), candidate pairs, clustering that a chain of weak
  links cannot drive through a conflict, and the evidence each event keeps (`explain`);
- `dates.py`: one date for an event whose reports disagree.

`sitroom.fuse` builds the event records from the clusters.
"""

from sitroom.fusion.cluster import can_link, cluster_reports, explain, link_window, may_link, pair_score
from sitroom.fusion.weights import Weights

__all__ = ["Weights", "can_link", "cluster_reports", "explain", "link_window", "may_link", "pair_score"]
