using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Batch
{
    /// <summary>One call to make for one record, as part of a bulk run.</summary>
    public sealed class BulkCommand
    {
        public BulkCommand(string method, JObject parameters, int recordId, object state = null)
        {
            Method = method;
            _parameters = parameters;
            RecordId = recordId;
            State = state;
        }

        /// <summary>A command whose parameters write themselves into a batch; their JSON object is built
        /// only if the command goes as a plain call.</summary>
        public BulkCommand(string method, IBatchQuery query, int recordId, object state = null)
        {
            Method = method;
            Query = query;
            RecordId = recordId;
            State = state;
        }

        public string Method { get; }

        /// <summary>The parameters as JSON (built from <see cref="Query"/> on first use). Setting them
        /// (after <see cref="Prepare"/>) replaces the query.</summary>
        public JObject Parameters
        {
            get => _parameters ?? (_parameters = Query?.ToParameters());
            internal set { _parameters = value; Query = null; }
        }

        private JObject _parameters;

        /// <summary>The parameters that write themselves into a batch, or null.</summary>
        public IBatchQuery Query { get; private set; }

        /// <summary>This command as an entry of a batch call.</summary>
        internal BatchItem ToBatchItem(string name) =>
            Query != null ? new BatchItem(name, Method, null, Query) : new BatchItem(name, Method, Parameters);

        public int RecordId { get; }
        /// <summary>What an error about this command names as its target (default: the record id).</summary>
        public object Target { get; set; }
        /// <summary>The caller's own object (e.g. the patch), handed back with the outcome.</summary>
        public object State { get; }

        /// <summary>
        /// For a command that depends on the record's current values (e.g. it adds a phone, which must
        /// not be added twice): builds the parameters from the current record, just before the first
        /// send and again before a resend after an unknown outcome (a 500 or a dropped connection, when
        /// the portal may have applied it). Returns null when nothing is left to send. Null for a
        /// command that is simply sent again.
        /// </summary>
        public Func<JObject, JObject> Prepare { get; set; }

        /// <summary>False for a call that must not run twice (an add method): after an unknown outcome it is
        /// not simply sent again; <see cref="FindExisting"/> decides, or it ends as "outcome unknown".</summary>
        public bool Idempotent { get; set; } = true;

        /// <summary>For a non-idempotent call after an unknown outcome: looks for what the first attempt
        /// may have made (e.g. a record with this ORIGIN_ID). Its result if found, else null (send again).</summary>
        public Func<CancellationToken, Action<string>, Task<JToken>> FindExisting { get; set; }

        /// <summary>After an unknown outcome, an error that means the first attempt did it (a delete that
        /// now answers "not found").</summary>
        public Func<Bitrix24Exception, bool> DoneAlreadyWhen { get; set; }

        // 1 once the command has its outcome: a flag on the command, not a set of finished commands,
        // so a finished command can be collected while the run goes on.
        internal int Finished;
        // Set when a send of this command ended with an unknown outcome (the portal may have applied it).
        internal bool HadUnknownOutcome;
    }

    /// <summary>How one command ended: its result, or the error after the last attempt.</summary>
    public sealed class BulkOutcome
    {
        internal BulkOutcome(BulkCommand command, JToken result, Exception error)
        {
            Command = command;
            Result = result;
            Error = error;
        }

        public BulkCommand Command { get; }
        public JToken Result { get; }
        public Exception Error { get; }
        public bool Succeeded => Error == null;
    }

    /// <summary>
    /// Sends commands as batch calls of up to 50 (a lone command as a plain call), several in flight,
    /// paced by the client's shared leaky bucket and operating budget. Transient failures are retried
    /// with backoff; the number of calls in flight halves when the portal fails and grows back as it
    /// recovers. Commands for the same record never overtake one another. Every command ends in exactly
    /// one outcome: nothing is dropped.
    /// </summary>
    public sealed class BulkRunner : IDisposable
    {
        public const int ChunkSize = 50;
        private static readonly string[] CommandNames = Enumerable.Range(0, ChunkSize).Select(i => "c" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        private readonly Bitrix24Client _client;
        private readonly Action<string> _log;
        private readonly CancellationTokenSource _cancel;
        private readonly object _gate = new object();
        private readonly List<BulkCommand> _building = new List<BulkCommand>();
        private readonly Queue<List<BulkCommand>> _ready = new Queue<List<BulkCommand>>();
        private readonly Dictionary<int, int> _recordsInFlight = new Dictionary<int, int>();
        private readonly ConcurrentQueue<BulkOutcome> _outcomes = new ConcurrentQueue<BulkOutcome>();
        // A signal, not a count: a waiter wakes once per burst of outcomes instead of once per outcome.
        // No spinning before it sleeps: answers are milliseconds apart, and on a small machine a spinning
        // waiter only takes the core from the threads (and the local portal) that would produce them.
        private readonly ManualResetEventSlim _activity = new ManualResetEventSlim(false, 0);
        private readonly Pacing.InFlightLimit _limit;
        private readonly Pacing.IClock _clock;
        private int _inFlight;
        private int _added;
        private int _finished;
        private int _requests;

        /// <summary>Reads current records by id, for commands with <see cref="BulkCommand.Prepare"/>.</summary>
        public Func<IList<int>, CancellationToken, Action<string>, Task<IDictionary<int, JObject>>> ReadCurrent { get; set; }

        /// <summary>The most calls a run has in flight by default.</summary>
        public const int DefaultMaxInFlight = 16;

        public BulkRunner(Bitrix24Client client, CancellationToken cancellation, Action<string> log, int maxInFlight = DefaultMaxInFlight)
        {
            _client = client;
            _log = log;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            _clock = client.Connection.Clock;
            _limit = new Pacing.InFlightLimit(maxInFlight, _clock);
        }

        /// <summary>Commands given so far.</summary>
        public int Added => Volatile.Read(ref _added);
        /// <summary>Commands with an outcome so far.</summary>
        public int Finished => Volatile.Read(ref _finished);
        /// <summary>HTTP requests made (retries included).</summary>
        public int Requests => Volatile.Read(ref _requests);
        /// <summary>Commands given but not finished.</summary>
        public int Backlog => Added - Finished;

        /// <summary>Chunks kept ready beyond the calls in flight, so a finished call is followed at once.</summary>
        private const int ChunksAhead = 4;

        /// <summary>
        /// True when enough is queued: every call the runner may have in flight plus a few chunks ready.
        /// The caller then waits for outcomes before giving more: queuing further ahead gains nothing and
        /// keeps every queued command alive.
        /// </summary>
        public bool HasEnoughQueued => Backlog > (_limit.Current + ChunksAhead) * ChunkSize;

        /// <summary>Queues a command; a full chunk of 50 goes out at once. Add and Flush are called from
        /// one thread (the pipeline's), so the chunk being filled needs no lock: only sealing it does.</summary>
        public void Add(BulkCommand command)
        {
            if (BatchEncoding.CarriesReference(command.ToBatchItem(CommandNames[0])))
            {
                // The batch method would rewrite the value: this command goes alone, as a plain call.
                if (_building.Count > 0) SealChunk();
                _log?.Invoke($"{command.Method} for {command.RecordId} goes as a plain call: a value holds text the batch method would read as a reference ($result[…]).");
                _building.Add(command);
                Interlocked.Increment(ref _added);
                SealChunk();
                return;
            }
            _building.Add(command);
            Interlocked.Increment(ref _added);
            if (_building.Count >= ChunkSize) SealChunk();
        }

        /// <summary>No more commands for now: send what is queued.</summary>
        public void Flush()
        {
            if (_building.Count > 0) SealChunk();
            else Pump();
        }

        /// <summary>The next outcome that arrived, if any (call from one thread).</summary>
        public bool TryTakeOutcome(out BulkOutcome outcome) => _outcomes.TryDequeue(out outcome);

        /// <summary>Waits until an outcome arrives or <paramref name="timeout"/> passes.</summary>
        public void WaitForActivity(TimeSpan timeout)
        {
            try { _activity.Wait(timeout, _cancel.Token); }
            catch (OperationCanceledException) { }
            _activity.Reset();   // the caller drains next: whatever arrives after this sets it again
        }

        /// <summary>Stops sending: queued commands are not sent, calls in flight are cancelled.</summary>
        public void Cancel() => _cancel.Cancel();

        private void SealChunk()
        {
            var chunk = new List<BulkCommand>(_building);
            _building.Clear();
            lock (_gate) _ready.Enqueue(chunk);
            Pump();
        }

        private void Pump()
        {
            lock (_gate)
            {
                while (_ready.Count > 0 && _inFlight < _limit.Current && !_cancel.IsCancellationRequested)
                {
                    var chunk = _ready.Peek();
                    // A record's later change waits for its earlier one, so the last edit is the one that stays.
                    if (chunk.Any(c => _recordsInFlight.ContainsKey(c.RecordId))) break;
                    _ready.Dequeue();
                    _inFlight++;
                    foreach (var command in chunk)
                        _recordsInFlight[command.RecordId] = _recordsInFlight.TryGetValue(command.RecordId, out var n) ? n + 1 : 1;
                    Task.Run(() => RunChunkAsync(chunk));
                }
            }
        }

        private async Task RunChunkAsync(List<BulkCommand> chunk)
        {
            var pending = chunk;
            var unknownOutcome = new HashSet<BulkCommand>();
            var prepared = new HashSet<BulkCommand>();
            var attempt = 0;
            try
            {
                while (pending.Count > 0)
                {
                    _cancel.Token.ThrowIfCancellationRequested();
                    attempt++;
                    Dictionary<BulkCommand, Exception> retry;
                    try
                    {
                        pending = await ReconcileAsync(pending, unknownOutcome, prepared).ConfigureAwait(false);
                        if (pending.Count == 0) break;
                        var started = _clock.Elapsed;
                        retry = await SendAsync(pending).ConfigureAwait(false);
                        Succeeded(_clock.Elapsed - started);
                    }
                    catch (Bitrix24Exception ex) when (ex.IsTransient)
                    {
                        // The whole call failed: each command may or may not have been applied.
                        Failed(ex);
                        retry = pending.ToDictionary(c => c, c => (Exception)ex);
                        foreach (var command in pending) { unknownOutcome.Add(command); command.HadUnknownOutcome = true; }
                        await SettleNonIdempotentAsync(retry, ex).ConfigureAwait(false);
                    }

                    if (retry.Count == 0) break;   // the finally below tells the waiter
                    if (attempt >= _client.Connection.MaxAttempts)
                    {
                        foreach (var pair in retry) Finish(pair.Key, null, pair.Value);
                        break;
                    }
                    // Some may have finished: tell the waiter now, not after the retries. One signal per
                    // answer, not one per finished command: the pipeline thread wakes once for 50 outcomes.
                    _activity.Set();
                    var delay = Bitrix24Client.Backoff(attempt, _client.Connection.RetryIntervalSeconds);
                    _log?.Invoke($"{retry.Count} command(s) failed ({FirstReason(retry.Values)}, attempt {attempt} of {_client.Connection.MaxAttempts}); retrying in {delay.TotalSeconds:0.0} s.");
                    await _clock.Delay(delay, _cancel.Token).ConfigureAwait(false);
                    pending = pending.Where(retry.ContainsKey).ToList();
                }
            }
            catch (OperationCanceledException)
            {
                foreach (var command in chunk) Finish(command, null, new OperationCanceledException("Stopped before this record's update was confirmed."));
            }
            catch (Exception ex)
            {
                foreach (var command in chunk) Finish(command, null, ex);
            }
            finally
            {
                lock (_gate)
                {
                    _inFlight--;
                    foreach (var command in chunk)
                        if (_recordsInFlight.TryGetValue(command.RecordId, out var n))
                        {
                            if (n <= 1) _recordsInFlight.Remove(command.RecordId);
                            else _recordsInFlight[command.RecordId] = n - 1;
                        }
                }
                Pump();
                _activity.Set();
            }
        }

        private void FinishWithError(BulkCommand command, Bitrix24Exception error)
        {
            if (command.HadUnknownOutcome && command.DoneAlreadyWhen?.Invoke(error) == true) Finish(command, true, null);
            else Finish(command, null, error);
        }

        /// <summary>Gives the command its one outcome; a second one (e.g. a cancellation after it
        /// finished) is ignored.</summary>
        private void Finish(BulkCommand command, JToken result, Exception error)
        {
            if (Interlocked.Exchange(ref command.Finished, 1) == 1) return;
            _outcomes.Enqueue(new BulkOutcome(command, result, error));
            Interlocked.Increment(ref _finished);
            // The waiter is woken by RunChunkAsync once per answer and when the chunk ends.
        }

        /// <summary>A command that must not run twice is not sent again blindly after an unknown outcome:
        /// it is looked for, or reported as "outcome unknown".</summary>
        private async Task SettleNonIdempotentAsync(Dictionary<BulkCommand, Exception> retry, Bitrix24Exception cause)
        {
            foreach (var command in retry.Keys.Where(c => !c.Idempotent).ToList())
            {
                JToken existing = null;
                if (command.FindExisting != null)
                {
                    try { existing = await command.FindExisting(_cancel.Token, _log).ConfigureAwait(false); }
                    catch (Bitrix24Exception) { existing = null; }
                    if (existing != null) { Finish(command, existing, null); retry.Remove(command); }
                    continue;   // not found: safe to send again
                }
                Finish(command, null, new Bitrix24Exception(command.Method, "OUTCOME_UNKNOWN",
                    $"The portal failed ({cause.ErrorId}) after receiving this call, so it may or may not have been applied; " +
                    "it was not sent again to avoid a duplicate. Check before running it again (give ORIGIN_ID to let the module check).", 0));
                retry.Remove(command);
            }
        }

        /// <summary>Prepares the commands that depend on current values (before the first send, and
        /// before a resend after an unknown outcome), reading those records in one go.</summary>
        private async Task<List<BulkCommand>> ReconcileAsync(List<BulkCommand> pending, HashSet<BulkCommand> unknownOutcome, HashSet<BulkCommand> prepared)
        {
            var toPrepare = pending.Where(c => c.Prepare != null && (!prepared.Contains(c) || unknownOutcome.Contains(c))).ToList();
            if (toPrepare.Count == 0) return pending;
            if (ReadCurrent == null) throw new InvalidOperationException("Commands that need current values need ReadCurrent.");
            var current = await ReadCurrent(toPrepare.Select(c => c.RecordId).Distinct().ToList(), _cancel.Token, _log).ConfigureAwait(false);
            var next = new List<BulkCommand>();
            foreach (var command in pending)
            {
                if (!toPrepare.Contains(command)) { next.Add(command); continue; }
                if (!current.TryGetValue(command.RecordId, out var record))
                {
                    Finish(command, null, new Bitrix24Exception(command.Method, "", "Not found", 400));
                    continue;
                }
                prepared.Add(command);
                unknownOutcome.Remove(command);
                try
                {
                    var parameters = command.Prepare(record);
                    if (parameters == null) { Finish(command, true, null); continue; }
                    command.Parameters = parameters;
                    next.Add(command);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    Finish(command, null, ex);
                }
            }
            return next;
        }

        /// <summary>Sends the commands; finishes the ones that ended and returns those to try again.</summary>
        private async Task<Dictionary<BulkCommand, Exception>> SendAsync(List<BulkCommand> commands)
        {
            var retry = new Dictionary<BulkCommand, Exception>();
            Interlocked.Increment(ref _requests);
            if (commands.Count == 1)
            {
                var command = commands[0];
                try
                {
                    var response = await _client.CallAsync(command.Method, command.Parameters, _cancel.Token, _log, retryUnknownOutcome: false).ConfigureAwait(false);
                    Finish(command, response.Result, null);
                }
                catch (Bitrix24Exception ex) when (!ex.IsTransient)
                {
                    FinishWithError(command, ex);
                }
                return retry;
            }

            var items = new BatchItem[commands.Count];
            for (var i = 0; i < commands.Count; i++) items[i] = commands[i].ToBatchItem(CommandNames[i]);
            var batch = await _client.CallBatchAsync(items, _cancel.Token, _log, retryUnknownOutcome: false).ConfigureAwait(false);
            for (var i = 0; i < commands.Count; i++)
            {
                var command = commands[i];
                var answer = batch.Results[i];
                if (!answer.Failed && answer.Result != null)
                {
                    Finish(command, answer.Result, null);
                    continue;
                }
                var error = answer.Failed
                    ? new Bitrix24Exception(command.Method, answer.ErrorCode, answer.ErrorDescription, 0)
                    : new Bitrix24Exception(command.Method, "", "The batch answer has no result for this command.", 0);
                if (error.ErrorCode == "OPERATION_TIME_LIMIT") _client.Connection.Budget.Blocked(command.Method);
                // Refused inside the batch (limits, server faults): not run, so it simply goes again.
                if (error.IsTransient || string.IsNullOrEmpty(error.ErrorCode) && !answer.Failed) retry[command] = error;
                else FinishWithError(command, error);
            }
            return retry;
        }

        private void Succeeded(TimeSpan took)
        {
            _limit.Answered(took);
            Pump();
        }

        private void Failed(Bitrix24Exception error)
        {
            if (_limit.Failed() is int halvedTo)
                _log?.Invoke($"The portal is failing ({error.ErrorId}): now at most {halvedTo} request(s) in flight.");
        }

        private static string FirstReason(IEnumerable<Exception> errors) =>
            errors.OfType<Bitrix24Exception>().Select(e => e.ErrorId).FirstOrDefault() ?? "error";

        public void Dispose()
        {
            _cancel.Cancel();
            _cancel.Dispose();
        }
    }
}
