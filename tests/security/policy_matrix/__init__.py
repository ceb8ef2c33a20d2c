"""The policy matrix: role × scope × object state → allowed, decided by core.policy's rules
called directly on objects built in memory (no database, no app: each table runs in
milliseconds).

How to read it: one module per domain (test_core, test_training, test_bases,
test_subsidies, test_competitions), one table per action. A table's columns are object
states (`page` is the check without an object, the one an endpoint's @permission makes);
its rows are the actor kinds of grid.ACTORS; a cell is `Y` (allowed) or `-` (refused).
Every object lies in 南昌市东湖区 (county 360102 of city 3601), belongs to institution 1,
enterprise 1 and person 7 unless its state says otherwise; the actors are placed around it
(grid.py says where).

test_completeness fails when an action of policy.registered_actions() has no table, or a
table leaves out an actor kind. For actions declared as a Scope, each table also checks
that the list's SQL filter (policy.where) keeps exactly the objects the table allows.
"""
