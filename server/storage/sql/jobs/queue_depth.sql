-- Jobs waiting or running, and dead ones, over all merchants (for logs and metrics).
SELECT count(*) FILTER (WHERE state IN ('PENDING', 'RUNNING')) AS waiting_or_running,
       count(*) FILTER (WHERE state = 'DEAD') AS dead
  FROM jobs;
