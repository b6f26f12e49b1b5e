-- Jobs waiting or running, and dead ones, over all merchants (for logs and metrics).
SELECT count(*) FILTER (WHERE state IN ('PENDING', 'RUNNING')), count(*) FILTER (WHERE state = 'DEAD')
  FROM jobs;
