"""Each brokered service type's demo case: see DEMO_CASES in dashboard/management/commands/seed_demo.py."""
