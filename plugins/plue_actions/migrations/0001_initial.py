"""actions: runs, attempts, jobs, tasks, steps, logs, runners, tokens, secrets, variables,
artifacts, commit statuses and schedules (frozen copies of the models at this version)."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    def now():
        import datetime
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

    class Run(Base):
        repository_id = peewee.IntegerField(index=True)
        owner_id = peewee.IntegerField(index=True)
        number = peewee.IntegerField()  # per repository, from 1 (Gitea's index)
        title = peewee.CharField(max_length=255, default="")
        workflow_id = peewee.CharField(max_length=255)  # file name below the workflows directory
        workflow_path = peewee.CharField(max_length=1024, default="")
        workflow_name = peewee.CharField(max_length=255, default="")
        event = peewee.CharField(max_length=64)
        event_payload = peewee.TextField(default='{}')
        inputs = peewee.TextField(default='{}')  # workflow_dispatch inputs
        workflow_content = peewee.TextField(default="")  # the file as run (matrix expansion later)
        ref = peewee.CharField(max_length=1024, default="")
        commit_sha = peewee.CharField(max_length=64, default="")
        trigger_user_id = peewee.IntegerField(null=True)
        is_fork_pull_request = peewee.BooleanField(default=False)
        status = peewee.IntegerField(default=5, index=True)
        attempt = peewee.IntegerField(default=1)
        error = peewee.TextField(default="")  # why the workflow could not be planned
        started = peewee.DateTimeField(null=True)
        stopped = peewee.DateTimeField(null=True)
        created = peewee.DateTimeField(default=now)
        updated = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "action_run"
            indexes = ((("repository_id", "number"), True),)


    class RunAttempt(Base):
        """One attempt of a run; a rerun adds one and keeps the earlier ones as history."""

        run = peewee.ForeignKeyField(Run, backref="attempts", on_delete="CASCADE")
        attempt = peewee.IntegerField()
        status = peewee.IntegerField(default=5)
        trigger_user_id = peewee.IntegerField(null=True)
        started = peewee.DateTimeField(null=True)
        stopped = peewee.DateTimeField(null=True)
        created = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "action_run_attempt"
            indexes = ((("run", "attempt"), True),)


    class Job(Base):
        """One job of one attempt, one row per matrix combination."""

        run = peewee.ForeignKeyField(Run, backref="jobs", on_delete="CASCADE")
        repository_id = peewee.IntegerField(index=True)
        owner_id = peewee.IntegerField(index=True)
        commit_sha = peewee.CharField(max_length=64, default="")
        is_fork_pull_request = peewee.BooleanField(default=False)
        attempt = peewee.IntegerField(default=1)
        job_id = peewee.CharField(max_length=255)  # the key under jobs:
        name = peewee.CharField(max_length=255)
        needs = peewee.TextField(default='[]')
        runs_on = peewee.TextField(default='[]')
        matrix = peewee.TextField(default='{}')
        if_condition = peewee.TextField(null=True)
        continue_on_error = peewee.BooleanField(default=False)
        fail_fast = peewee.BooleanField(default=True)
        max_parallel = peewee.IntegerField(null=True)
        matrix_pending = peewee.BooleanField(default=False)
        timeout_minutes = peewee.FloatField(default=360)
        payload = peewee.TextField(default="")  # single-job workflow YAML for the runner
        task_id = peewee.IntegerField(null=True, index=True)  # the latest task
        status = peewee.IntegerField(default=5, index=True)
        reason = peewee.TextField(default="")  # why it failed or was skipped, when not a runner's result
        started = peewee.DateTimeField(null=True)
        stopped = peewee.DateTimeField(null=True)
        created = peewee.DateTimeField(default=now)
        updated = peewee.DateTimeField(default=now, index=True)

        class Meta:
            table_name = "action_run_job"
            indexes = ((("run", "attempt"), False),)


    class TasksVersion(Base):
        """Bumped whenever a job becomes Waiting in the scope: runners skip the pick query while
        their version is current. Scope (0, 0) is global, (owner, 0) an owner, (0, repo) a repo."""

        owner_id = peewee.IntegerField(default=0)
        repository_id = peewee.IntegerField(default=0)
        version = peewee.BigIntegerField(default=1)

        class Meta:
            table_name = "action_tasks_version"
            indexes = ((("owner_id", "repository_id"), True),)


    class WorkflowState(Base):
        """A workflow switched off with PUT .../workflows/{id}/disable."""

        repository_id = peewee.IntegerField()
        workflow_id = peewee.CharField(max_length=255)
        disabled = peewee.BooleanField(default=True)
        updated = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "action_workflow_state"
            indexes = ((("repository_id", "workflow_id"), True),)


    class Schedule(Base):
        """A cron line of a workflow on a repository's default branch, refreshed on every push
        to it; the scheduler job starts a run when ``next_run_at`` has passed."""

        repository_id = peewee.IntegerField(index=True)
        workflow_id = peewee.CharField(max_length=255)
        workflow_path = peewee.CharField(max_length=1024)
        cron = peewee.CharField(max_length=255)
        commit_sha = peewee.CharField(max_length=64)
        ref = peewee.CharField(max_length=1024)
        trigger_user_id = peewee.IntegerField(null=True)
        next_run_at = peewee.DateTimeField(index=True)

        class Meta:
            table_name = "action_schedule"


    class CommitStatus(Base):
        """A commit status: one row per change (history); the latest per context counts."""

        repository_id = peewee.IntegerField()
        sha = peewee.CharField(max_length=64)
        context = peewee.CharField(max_length=255)
        state = peewee.CharField(max_length=16)
        description = peewee.CharField(max_length=255, default="")
        target_url = peewee.CharField(max_length=2048, default="")
        creator_id = peewee.IntegerField(null=True)
        job = peewee.ForeignKeyField(Job, null=True, on_delete="SET NULL")
        created = peewee.DateTimeField(default=now)
        updated = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "action_commit_status"
            indexes = ((("repository_id", "sha"), False),)


    class Task(Base):
        job = peewee.ForeignKeyField(Job, backref="tasks", on_delete="CASCADE")
        attempt = peewee.IntegerField(default=1)
        runner_id = peewee.IntegerField(null=True, index=True)
        status = peewee.IntegerField(default=6, index=True)
        repository_id = peewee.IntegerField()
        owner_id = peewee.IntegerField()
        commit_sha = peewee.CharField(max_length=64, default="")
        is_fork_pull_request = peewee.BooleanField(default=False)
        token_hash = peewee.CharField(max_length=64, unique=True)  # sha256 of the task token
        log_length = peewee.IntegerField(default=0)  # lines stored
        log_size = peewee.BigIntegerField(default=0)  # bytes stored
        log_in_storage = peewee.BooleanField(default=False)  # archived to a file at noMore
        log_filename = peewee.CharField(max_length=512, default="")
        log_expired = peewee.BooleanField(default=False)
        started = peewee.DateTimeField(default=now)
        stopped = peewee.DateTimeField(null=True)
        created = peewee.DateTimeField(default=now)
        updated = peewee.DateTimeField(default=now, index=True)  # the runner's heartbeat

        class Meta:
            table_name = "action_task"


    class TaskStep(Base):
        task = peewee.ForeignKeyField(Task, backref="steps", on_delete="CASCADE")
        index = peewee.IntegerField()
        name = peewee.CharField(max_length=255)
        status = peewee.IntegerField(default=5)
        log_index = peewee.IntegerField(default=0)
        log_length = peewee.IntegerField(default=0)
        started = peewee.DateTimeField(null=True)
        stopped = peewee.DateTimeField(null=True)

        class Meta:
            table_name = "action_task_step"
            indexes = ((("task", "index"), True),)


    class TaskOutput(Base):
        task = peewee.ForeignKeyField(Task, backref="outputs", on_delete="CASCADE")
        key = peewee.CharField(max_length=255)
        value = peewee.TextField()

        class Meta:
            table_name = "action_task_output"
            indexes = ((("task", "key"), True),)


    class LogLine(Base):
        """A live log line; at ``noMore`` the lines move to a file and these rows go."""

        task = peewee.ForeignKeyField(Task, on_delete="CASCADE")
        index = peewee.IntegerField()
        time = peewee.DateTimeField()
        content = peewee.TextField()

        class Meta:
            table_name = "action_log_line"
            indexes = ((("task", "index"), True),)


    class TaskMask(Base):
        """A value registered with ``::add-mask::`` (encrypted): later lines hide it too."""

        task = peewee.ForeignKeyField(Task, on_delete="CASCADE")
        value = peewee.TextField()

        class Meta:
            table_name = "action_task_mask"


    class Runner(Base):
        uuid = peewee.CharField(max_length=36, unique=True)
        name = peewee.CharField(max_length=255)
        owner_id = peewee.IntegerField(default=0, index=True)
        repository_id = peewee.IntegerField(default=0, index=True)
        description = peewee.TextField(default="")
        token_hash = peewee.CharField(max_length=64)  # sha256 of the runner token
        version = peewee.CharField(max_length=64, default="")
        labels = peewee.TextField(default='[]')
        ephemeral = peewee.BooleanField(default=False)
        disabled = peewee.BooleanField(default=False)
        last_online = peewee.DateTimeField(null=True)
        last_active = peewee.DateTimeField(null=True)
        created = peewee.DateTimeField(default=now)
        updated = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "action_runner"


    class RegistrationToken(Base):
        owner_id = peewee.IntegerField(default=0)
        repository_id = peewee.IntegerField(default=0)
        token_hash = peewee.CharField(max_length=64, unique=True)
        token_encrypted = peewee.TextField()  # GET hands the active token out again
        is_active = peewee.BooleanField(default=True)
        expires_at = peewee.DateTimeField()
        created = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "action_runner_token"
            indexes = ((("owner_id", "repository_id", "is_active"), False),)


    class Secret(Base):
        owner_id = peewee.IntegerField(default=0)
        repository_id = peewee.IntegerField(default=0)
        name = peewee.CharField(max_length=255)  # upper-cased
        data = peewee.TextField()  # AES-GCM ciphertext, base64
        description = peewee.TextField(default="")
        created = peewee.DateTimeField(default=now)
        updated = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "action_secret"
            indexes = ((("owner_id", "repository_id", "name"), True),)


    class SecretKeyPair(Base):
        """The X25519 key pair of a scope for GitHub's sealed-box secret upload."""

        owner_id = peewee.IntegerField(default=0)
        repository_id = peewee.IntegerField(default=0)
        key_id = peewee.CharField(max_length=64)
        public_key = peewee.CharField(max_length=64)  # base64
        private_key = peewee.TextField()  # encrypted, base64
        created = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "action_secret_key"
            indexes = ((("owner_id", "repository_id"), True),)


    class Variable(Base):
        owner_id = peewee.IntegerField(default=0)
        repository_id = peewee.IntegerField(default=0)
        name = peewee.CharField(max_length=255)  # upper-cased
        data = peewee.TextField()
        description = peewee.TextField(default="")
        created = peewee.DateTimeField(default=now)
        updated = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "action_variable"
            indexes = ((("owner_id", "repository_id", "name"), True),)


    class Artifact(Base):
        run = peewee.ForeignKeyField(Run, backref="artifacts", on_delete="CASCADE")
        attempt = peewee.IntegerField(default=1)
        job_id = peewee.IntegerField(null=True)
        repository_id = peewee.IntegerField(index=True)
        owner_id = peewee.IntegerField()
        name = peewee.CharField(max_length=255)
        size = peewee.BigIntegerField(default=0)
        digest = peewee.CharField(max_length=80, default="")  # sha256:<hex>
        storage_path = peewee.CharField(max_length=1024, default="")
        status = peewee.CharField(max_length=16, default="pending")  # pending|confirmed|expired
        expires_at = peewee.DateTimeField(index=True)
        created = peewee.DateTimeField(default=now)
        updated = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "action_artifact"
            indexes = ((("run", "name"), True),)

    db.create_tables([Run, RunAttempt, Job, TasksVersion, WorkflowState, Schedule, CommitStatus,
                      Task, TaskStep, TaskOutput, LogLine, TaskMask, Runner, RegistrationToken,
                      Secret, SecretKeyPair, Variable, Artifact])
