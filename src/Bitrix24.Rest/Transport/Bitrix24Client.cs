using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Connections;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Transport
{
    /// <summary>
    /// What the module calls a portal with: one REST call (<see cref="CallAsync"/>) or one batch call
    /// (<see cref="CallBatchAsync"/>), each paced, renewed and retried by <see cref="Pacing.PacedCaller"/>
    /// and sent by <see cref="HttpTransport"/>.
    /// </summary>
    public sealed class Bitrix24Client : IDisposable
    {
        private readonly Bitrix24Connection _connection;
        private readonly HttpTransport _transport;
        private readonly Pacing.PacedCaller _paced;

        internal Bitrix24Client(Bitrix24Connection connection)
        {
            _connection = connection;
            _transport = new HttpTransport(connection);
            _paced = new Pacing.PacedCaller(connection, new TokenRenewal(connection, _transport));
        }

        public Bitrix24Connection Connection => _connection;

        /// <summary>
        /// Downloads a file the portal serves at <paramref name="portalUrl"/> (a CRM file's downloadUrl, relative to the
        /// portal or absolute on it). With OAuth the access token goes as the auth parameter. The docs do not say how a
        /// webhook may fetch these addresses: a portal that wants a browser session answers with an error or a login
        /// page, which is reported as such.
        /// </summary>
        public Task<(byte[] Content, string FileName)> DownloadAsync(string portalUrl, CancellationToken cancellation, Action<string> log = null)
        {
            var uri = new Uri(_connection.PortalUri, portalUrl);
            if (!string.Equals(uri.Host, _connection.PortalUri.Host, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"'{uri.Host}' is not this connection's portal ({_connection.Portal}); only the portal's own files are fetched.", nameof(portalUrl));
            if (_connection.AuthKind == Bitrix24AuthKind.OAuth)
                uri = new Uri(uri + (uri.Query.Length > 0 ? "&" : "?") + "auth=" + Uri.EscapeDataString(_connection.AccessToken));
            return _transport.DownloadAsync(uri, cancellation, log);
        }

        /// <summary>
        /// Calls <paramref name="method"/> with <paramref name="parameters"/> as the JSON body, paced by the
        /// shared leaky bucket and the method's operating budget. A QUERY_LIMIT_EXCEEDED or
        /// OPERATION_TIME_LIMIT answer (the call was refused, not run) is waited out and sent again;
        /// other failures that may pass (5xx, dropped connection, timeout) are retried with backoff
        /// unless <paramref name="retryUnknownOutcome"/> is false (the caller then decides, e.g. for
        /// a call that must not run twice).
        /// </summary>
        /// <param name="log">Receives one line before sending and one after the answer (redacted).</param>
        public Task<Bitrix24Response> CallAsync(string method, JObject parameters, CancellationToken cancellation,
                                                Action<string> log = null, bool retryUnknownOutcome = true)
        {
            if (string.IsNullOrWhiteSpace(method)) throw new ArgumentException("A method name is required.", nameof(method));
            return _paced.CallAsync(method, Pacing.PacedCaller.InnerMethods(method, parameters),
                async () =>
                {
                    var response = await _transport.SendAsync(method, parameters, cancellation, log).ConfigureAwait(false);
                    Pacing.PacedCaller.ObserveOperating(method, response, parameters, _connection.Budget);
                    return response;
                },
                cancellation, log, retryUnknownOutcome);
        }

        /// <summary>
        /// Calls <paramref name="method"/> once for each of <paramref name="parameters"/>, 50 commands to a batch request,
        /// and returns the results in the order given; a command the portal refuses throws its error.
        /// </summary>
        public async Task<IList<JToken>> CallEachAsync(string method, IEnumerable<JObject> parameters, CancellationToken cancellation, Action<string> log = null)
        {
            var all = parameters.ToList();
            var results = new List<JToken>(all.Count);
            for (var start = 0; start < all.Count; start += Batch.BulkRunner.ChunkSize)
            {
                var items = all.Skip(start).Take(Batch.BulkRunner.ChunkSize).Select((p, i) => new Batch.BatchItem("c" + i, method, p)).ToList();
                var reply = await CallBatchAsync(items, cancellation, log).ConfigureAwait(false);
                foreach (var answer in reply.Results)
                {
                    if (answer.Failed) throw new Bitrix24Exception(method, answer.ErrorCode, answer.ErrorDescription, 400);
                    results.Add(answer.Result);
                }
            }
            return results;
        }

        /// <summary>
        /// Every page of a list method that pages by <c>start</c>, 50 to a page (settings/how-to-call-rest-api/
        /// list-methods-pecularities.md): the first plainly, and, from its total, the rest 50 pages to a batch request.
        /// <paramref name="parameters"/> are every page's; <c>start</c> is added to them.
        /// </summary>
        public async Task<IList<JObject>> ListAllAsync(string method, JObject parameters, CancellationToken cancellation, Action<string> log = null,
                                                       string rowsKey = null)
        {
            // Most lists answer the rows as the result; crm.type.list answers {types: [...]} (rowsKey "types").
            IEnumerable<JObject> rowsOf(JToken result) =>
                ((rowsKey == null ? result : result?[rowsKey]) as JArray ?? new JArray()).OfType<JObject>();
            const int pageSize = 50;
            JObject page(int start)
            {
                var copy = (JObject)parameters.DeepClone();
                if (start > 0) copy["start"] = start;
                return copy;
            }
            var first = await CallAsync(method, page(0), cancellation, log).ConfigureAwait(false);
            var rows = rowsOf(first.Result).ToList();
            var total = first.Total ?? rows.Count;
            var starts = new List<int>();
            for (var start = pageSize; start < total && rows.Count == pageSize; start += pageSize) starts.Add(start);
            foreach (var rest in await CallEachAsync(method, starts.Select(page), cancellation, log).ConfigureAwait(false))
                rows.AddRange(rowsOf(rest));
            return rows;
        }

        /// <summary>
        /// Calls <c>batch</c> with these commands (halt = 0), paced and retried as <see cref="CallAsync"/>
        /// is, and returns each command's answer in the order given. The body is written and the answer
        /// read without building either as JSON objects (a bulk run makes one such call per 50 leads);
        /// an answer of another shape is read the general way, with the same errors as any call.
        /// </summary>
        public Task<Batch.BatchReply> CallBatchAsync(IReadOnlyList<Batch.BatchItem> items, CancellationToken cancellation,
                                                     Action<string> log = null, bool retryUnknownOutcome = true)
        {
            return _paced.CallAsync("batch", Batch.BatchItem.MethodsOf(items),
                async () =>
                {
                    var reply = await _transport.SendBatchAsync(items, cancellation, log).ConfigureAwait(false);
                    Pacing.PacedCaller.ObserveOperating(items, reply, _connection.Budget);
                    return reply;
                },
                cancellation, log, retryUnknownOutcome);
        }

        private static readonly Random Jitter = new Random();

        /// <summary>Exponential backoff with jitter: the first wait (0.5 s by default), then twice as long each time
        /// (capped at 20 s), times 0.5–1.5.</summary>
        public static TimeSpan Backoff(int attempt, double firstSeconds = 0.5)
        {
            double factor;
            lock (Jitter) factor = 0.5 + Jitter.NextDouble();
            var seconds = Math.Min(Math.Max(20, firstSeconds), firstSeconds * Math.Pow(2, Math.Max(0, attempt - 1)));
            return TimeSpan.FromSeconds(seconds * factor);
        }

        public void Dispose() => _transport.Dispose();
    }
}
