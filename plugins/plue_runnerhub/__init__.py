"""Plue plugin `runnerhub`: RunnerHub's job, runner and queue APIs over Plue's actions."""
