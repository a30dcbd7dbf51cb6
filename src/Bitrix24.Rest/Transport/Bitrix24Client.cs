using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Connections;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Transport
{
    /// <summary>
    /// Sends one REST call as a JSON POST and turns the answer into a <see cref="Bitrix24Response"/> or a
    /// <see cref="Bitrix24Exception"/>. Everything it logs has passed the connection's redaction.
    /// </summary>
    public sealed class Bitrix24Client : IDisposable
    {
        private const int ExcerptLength = 200;
        private readonly Bitrix24Connection _connection;
        private readonly HttpClient _http;

        internal Bitrix24Client(Bitrix24Connection connection)
        {
            _connection = connection;
            // The sandbox's handler belongs to its in-process portal: do not dispose it with the client.
            _http = connection.Handler != null
                ? new HttpClient(connection.Handler, disposeHandler: false)
                : new HttpClient(CreateHandler());
            _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // enforced per call, see SendAsync
            if (OnNetFramework) System.Net.ServicePointManager.SecurityProtocol = WithModernTls(System.Net.ServicePointManager.SecurityProtocol, OnNetFramework);
        }

        public Bitrix24Connection Connection => _connection;

        /// <summary>Connections one portal may have open at once: a bulk run's calls in flight and a listing
        /// beside it. .NET Framework (Windows PowerShell 5.1) allows 2 per server unless told.</summary>
        internal const int ConnectionsPerServer = 32;

        internal static readonly bool OnNetFramework =
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        internal static HttpClientHandler CreateHandler()
        {
            if (OnNetFramework && System.Net.ServicePointManager.DefaultConnectionLimit < ConnectionsPerServer)
                System.Net.ServicePointManager.DefaultConnectionLimit = ConnectionsPerServer;
            return new HttpClientHandler { MaxConnectionsPerServer = ConnectionsPerServer };
        }

        /// <summary>Windows PowerShell 5.1 (.NET Framework) may default to TLS 1.0, which portals refuse:
        /// there TLS 1.2 is added. Later .NET versions negotiate it themselves (their default is left alone).</summary>
        internal static System.Net.SecurityProtocolType WithModernTls(System.Net.SecurityProtocolType current, bool onNetFramework) =>
            onNetFramework ? current | System.Net.SecurityProtocolType.Tls12 : current;

        /// <summary>
        /// Calls <paramref name="method"/> with <paramref name="parameters"/> as the JSON body, paced by the
        /// shared leaky bucket and the method's operating budget. A QUERY_LIMIT_EXCEEDED or
        /// OPERATION_TIME_LIMIT answer (the call was refused, not run) is waited out and sent again;
        /// other failures that may pass (5xx, dropped connection, timeout) are retried with backoff
        /// unless <paramref name="retryUnknownOutcome"/> is false (the caller then decides, e.g. for
        /// a call that must not run twice).
        /// </summary>
        /// <param name="log">Receives one line before sending and one after the answer (redacted).</param>
        /// <param name="compactBatchTimes">For a batch: keep only the operating-budget fields of each
        /// command's timings (bulk runs read nothing else; a caller showing the answer wants all).</param>
        public Task<Bitrix24Response> CallAsync(string method, JObject parameters, CancellationToken cancellation,
                                                Action<string> log = null, bool retryUnknownOutcome = true, bool compactBatchTimes = false)
        {
            if (string.IsNullOrWhiteSpace(method)) throw new ArgumentException("A method name is required.", nameof(method));
            return PacedAsync(method, InnerMethods(method, parameters),
                async () =>
                {
                    var response = await SendAsync(method, parameters, cancellation, log, compactBatchTimes).ConfigureAwait(false);
                    ObserveOperating(method, response, parameters, _connection.Budget);
                    return response;
                },
                cancellation, log, retryUnknownOutcome);
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
            var innerMethods = new List<string>();
            foreach (var item in items)
            {
                var inner = item.Method.Trim();
                if (inner.Length > 0 && !innerMethods.Contains(inner, StringComparer.OrdinalIgnoreCase)) innerMethods.Add(inner);
            }
            return PacedAsync("batch", innerMethods,
                async () =>
                {
                    var reply = await SendBatchAsync(items, cancellation, log).ConfigureAwait(false);
                    ObserveOperating(items, reply, _connection.Budget);
                    return reply;
                },
                cancellation, log, retryUnknownOutcome);
        }

        /// <summary>The loop around one call: the operating budget and the leaky bucket before each send,
        /// token renewal, waits on QUERY_LIMIT_EXCEEDED / OPERATION_TIME_LIMIT, and retries.</summary>
        private async Task<T> PacedAsync<T>(string method, IList<string> innerMethods, Func<Task<T>> send, CancellationToken cancellation,
                                            Action<string> log, bool retryUnknownOutcome)
        {
            var bucket = Pacing.LeakyBucket.For(_connection.RateKey, _connection.RateLimit, _connection.Burst, _connection.LimitsTold);
            var budget = _connection.Budget;
            budget.LimitSeconds = _connection.OperatingLimitSeconds;
            var attempt = 0;
            var refusals = 0;
            var refreshed = false;
            while (true)
            {
                var tokenUsed = _connection.AuthKind == Bitrix24AuthKind.OAuth ? _connection.AccessToken : null;
                foreach (var inner in innerMethods) await budget.WaitAsync(inner, cancellation, log).ConfigureAwait(false);
                var ticket = await bucket.AcquireAsync(cancellation, log).ConfigureAwait(false);
                if (ticket.Waited > TimeSpan.FromSeconds(1))
                    log?.Invoke($"Waited {ticket.Waited.TotalSeconds:0.#} s for the portal's request limit ({bucket.Describe()}).");
                attempt++;
                try
                {
                    return await SendCountedAsync(send, bucket, ticket, log).ConfigureAwait(false);
                }
                catch (Bitrix24Exception ex) when (string.Equals(ex.ErrorCode, "expired_token", StringComparison.OrdinalIgnoreCase) && !refreshed)
                {
                    // Refused, not run: renew the token once (concurrent calls share one renewal) and send again.
                    if (!_connection.CanRefreshToken)
                        throw new Bitrix24Exception(method, ex.ErrorCode,
                            "The OAuth access token has expired. Connect again with a new token, or give -RefreshToken, -ClientId and -ClientSecret so the module can renew it.", ex.HttpStatus);
                    await RefreshTokenAsync(tokenUsed, cancellation, log).ConfigureAwait(false);
                    refreshed = true;
                }
                catch (Bitrix24Exception ex) when (ex.ErrorCode == "QUERY_LIMIT_EXCEEDED" && ++refusals <= 50)
                {
                    // Refused, not run: the bucket has learned from it (see SendCountedAsync); wait and send again.
                    log?.Invoke($"{method}: the portal's request limit was reached (QUERY_LIMIT_EXCEEDED); waiting and sending again.");
                }
                catch (Bitrix24Exception ex) when (ex.ErrorCode == "OPERATION_TIME_LIMIT" && ++refusals <= 50)
                {
                    foreach (var inner in innerMethods) budget.Blocked(inner);
                    budget.Blocked(method);
                }
                catch (Bitrix24Exception ex) when (retryUnknownOutcome && ex.IsTransient && attempt < _connection.MaxAttempts)
                {
                    var delay = Backoff(attempt);
                    log?.Invoke($"{method} failed ({ex.ErrorId}, attempt {attempt} of {_connection.MaxAttempts}); retrying in {delay.TotalSeconds:0.0} s.");
                    await Task.Delay(delay, cancellation).ConfigureAwait(false);
                }
            }
        }

        /// <summary>One paced send: tells the bucket how the portal answered (it learns the portal's limits
        /// from that), whether the send succeeds or fails.</summary>
        private static async Task<T> SendCountedAsync<T>(Func<Task<T>> send, Pacing.LeakyBucket bucket, Pacing.LeakyBucket.Ticket ticket, Action<string> log)
        {
            var started = DateTime.UtcNow;
            var outcome = Pacing.RequestOutcome.Unknown;
            try
            {
                var answer = await send().ConfigureAwait(false);
                outcome = Pacing.RequestOutcome.Accepted;
                return answer;
            }
            catch (Bitrix24Exception ex) when (ex.HttpStatus > 0)
            {
                // The portal answered: it refused the request as over its limit, or counted it.
                outcome = ex.ErrorCode == "QUERY_LIMIT_EXCEEDED" ? Pacing.RequestOutcome.Refused : Pacing.RequestOutcome.Accepted;
                throw;
            }
            finally
            {
                bucket.Completed(ticket, outcome, DateTime.UtcNow - started, log);
            }
        }

        private readonly SemaphoreSlim _refreshGate = new SemaphoreSlim(1, 1);

        /// <summary>
        /// Renews the access token with the refresh token (GET on the OAuth server). Calls that failed with
        /// the same stale token wait for one renewal instead of each making their own.
        /// </summary>
        internal async Task RefreshTokenAsync(string staleToken, CancellationToken cancellation, Action<string> log)
        {
            await _refreshGate.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                if (!string.Equals(_connection.AccessToken, staleToken, StringComparison.Ordinal)) return;   // renewed meanwhile
                log?.Invoke($"The OAuth access token expired; renewing it at {_connection.OAuthServer.Host}.");
                string text;
                int status;
                try
                {
                    using (var timeout = new CancellationTokenSource(_connection.Timeout))
                    using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token))
                    using (var response = await _http.GetAsync(_connection.RefreshUri(), linked.Token).ConfigureAwait(false))
                    {
                        status = (int)response.StatusCode;
                        text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is OperationCanceledException && !cancellation.IsCancellationRequested)
                {
                    throw new Bitrix24Exception("oauth/token", "NETWORK_ERROR",
                        $"The OAuth access token expired and the OAuth server {_connection.OAuthServer.Host} could not be reached to renew it.", 0, Scrub(ex));
                }

                JObject answer = null;
                try { answer = JsonText.Parse(text) as JObject; } catch (JsonException) { }
                var accessToken = (string)answer?["access_token"];
                if (answer == null || answer["error"] != null || string.IsNullOrEmpty(accessToken))
                {
                    var code = _connection.Redact((string)answer?["error"] ?? "invalid_grant");
                    var description = _connection.Redact((string)answer?["error_description"] ?? $"HTTP {status} without a token");
                    throw new Bitrix24Exception("oauth/token", code,
                        $"The OAuth access token expired and could not be renewed ({description}). Connect again with a valid refresh token.", status == 200 ? 401 : status);
                }
                _connection.ApplyTokens(accessToken, (string)answer["refresh_token"], (int?)answer["expires_in"] ?? 0);
                log?.Invoke($"Renewed the OAuth access token; it expires at {_connection.AccessTokenExpiresAt:u}.");
            }
            finally
            {
                _refreshGate.Release();
            }
        }

        private static readonly Random Jitter = new Random();

        /// <summary>Exponential backoff with full jitter: 0.5 s, 1 s, 2 s … (capped at 20 s), times 0.5–1.5.</summary>
        public static TimeSpan Backoff(int attempt)
        {
            double factor;
            lock (Jitter) factor = 0.5 + Jitter.NextDouble();
            var seconds = Math.Min(20, 0.5 * Math.Pow(2, Math.Max(0, attempt - 1)));
            return TimeSpan.FromSeconds(seconds * factor);
        }

        /// <summary>The methods whose operating budget a call spends: the batch's commands, not the batch.</summary>
        private static IList<string> InnerMethods(string method, JObject parameters)
        {
            if (!string.Equals(method, "batch", StringComparison.OrdinalIgnoreCase)) return new[] { method };
            var names = new List<string>();
            if (parameters?["cmd"] is JObject commands)
                foreach (var command in commands.Properties())
                {
                    var text = command.Value.ToString();
                    var query = text.IndexOf('?');
                    var inner = (query < 0 ? text : text.Substring(0, query)).Trim();
                    if (inner.Length > 0 && !names.Contains(inner, StringComparer.OrdinalIgnoreCase)) names.Add(inner);
                }
            return names;
        }

        private static void ObserveOperating(string method, Bitrix24Response response, JObject parameters, Pacing.OperatingBudget budget)
        {
            if (!string.Equals(method, "batch", StringComparison.OrdinalIgnoreCase))
            {
                Observe(method, response.Time, budget);
                return;
            }
            if (!(response.Result?["result_time"] is JObject times) || !(parameters?["cmd"] is JObject commands)) return;
            // The last time block of each method counts (the budget is a running sum). A bulk batch is
            // one method 50 times: its name is cut out of the command once, not for every command.
            var latest = new Dictionary<string, JObject>(StringComparer.OrdinalIgnoreCase);
            string previousText = null, inner = null;
            for (var time = (JProperty)times.First; time != null; time = (JProperty)time.Next)
            {
                var text = (string)commands[time.Name] ?? "";
                var query = text.IndexOf('?');
                var length = query < 0 ? text.Length : query;
                if (previousText == null || length != previousText.Length || string.CompareOrdinal(text, 0, previousText, 0, length) != 0)
                {
                    previousText = text.Substring(0, length);
                    inner = previousText.Trim();
                }
                if (inner.Length > 0 && time.Value is JObject block) latest[inner] = block;
            }
            foreach (var pair in latest) Observe(pair.Key, pair.Value, budget);
        }

        /// <summary>The last time block of each method in the reply counts (the budget is a running sum).</summary>
        private static void ObserveOperating(IReadOnlyList<Batch.BatchItem> items, Batch.BatchReply reply, Pacing.OperatingBudget budget)
        {
            if (reply.Times.Count == 0) return;
            string method = null;
            double operating = 0, resetAt = 0;
            foreach (var (index, blockOperating, blockResetAt) in reply.Times)
            {
                var inner = items[index].Method.Trim();
                if (method != null && !string.Equals(method, inner, StringComparison.OrdinalIgnoreCase)) budget.Observe(method, operating, resetAt);
                method = inner;
                operating = blockOperating;
                resetAt = blockResetAt;
            }
            budget.Observe(method, operating, resetAt);
        }

        private static void Observe(string method, JObject time, Pacing.OperatingBudget budget)
        {
            if (time == null) return;
            budget.Observe(method, NumberOrZero(time["operating"]), NumberOrZero(time["operating_reset_at"]));
        }

        /// <summary>A timing figure; anything but a number (missing, null, text) counts as 0 rather than
        /// failing the call whose result has already arrived.</summary>
        private static double NumberOrZero(JToken value) =>
            value != null && (value.Type == JTokenType.Integer || value.Type == JTokenType.Float) ? (double)value : 0;

        /// <summary>One HTTP round trip.</summary>
        private async Task<Bitrix24Response> SendAsync(string method, JObject parameters, CancellationToken cancellation, Action<string> log, bool compactBatchTimes)
        {
            var body = parameters ?? new JObject();
            // What the user asked to send, before auth is added (the log never sees the token).
            if (log != null) log(_connection.Redact($"POST {method} {Shorten(body.ToString(Formatting.None))}"));
            if (_connection.AuthKind == Bitrix24AuthKind.OAuth)
            {
                body = (JObject)body.DeepClone();
                _connection.Authenticate(body);
            }
            var (status, contentType, answer) = await RoundTripAsync(method, JsonContent(body), cancellation, log).ConfigureAwait(false);
            return Interpret(method, status, contentType, answer, compactBatchTimes);
        }

        /// <summary>One HTTP round trip of a batch call.</summary>
        private async Task<Batch.BatchReply> SendBatchAsync(IReadOnlyList<Batch.BatchItem> items, CancellationToken cancellation, Action<string> log)
        {
            var text = Batch.BatchEncoding.BatchBody(items);
            if (log != null) log(_connection.Redact($"POST batch {Shorten(text)}"));
            // As Authenticate does for a JSON object: the token goes last, added after the log line.
            if (_connection.AuthKind == Bitrix24AuthKind.OAuth)
                text = text.Substring(0, text.Length - 1) + ",\"auth\":" + JsonConvert.ToString(_connection.AccessToken) + "}";
            var content = new ByteArrayContent(Utf8.GetBytes(text));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            var (status, contentType, answer) = await RoundTripAsync("batch", content, cancellation, log).ConfigureAwait(false);
            var response = Interpret("batch", status, contentType, answer, compactBatchTimes: true);
            return Batch.BatchAnswer.ReadReply(response.Result, items);
        }

        /// <summary>Sends the request and reads the whole answer, inside the connection's timeout.</summary>
        private async Task<(int Status, System.Net.Http.Headers.MediaTypeHeaderValue ContentType, MemoryStream Answer)> RoundTripAsync(
            string method, HttpContent content, CancellationToken cancellation, Action<string> log)
        {
            using (var timeout = new CancellationTokenSource(_connection.Timeout))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token))
            using (var request = new HttpRequestMessage(HttpMethod.Post, _connection.MethodUri(method)))
            {
                request.Content = content;
                request.Headers.Accept.ParseAdd("application/json");
                HttpResponseMessage response;
                MemoryStream answer;
                var started = DateTime.UtcNow;
                try
                {
                    // The body is read here, inside the timeout, into one buffer: no string of it is made
                    // (a 50-command answer is parsed straight from the bytes).
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                    try
                    {
                        answer = await ReadBodyAsync(response, linked.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        response.Dispose();
                        throw;
                    }
                }
                catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException ex)
                {
                    throw new Bitrix24Exception(method, "TIMEOUT",
                        $"No answer from {_connection.Portal} within {_connection.Timeout.TotalSeconds:0.#} s.", 0, Scrub(ex));
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is IOException)
                {
                    throw new Bitrix24Exception(method, "NETWORK_ERROR",
                        _connection.Redact($"Could not reach {_connection.Portal}: {Innermost(ex).Message}"), 0, Scrub(ex));
                }

                using (response)
                {
                    var status = (int)response.StatusCode;
                    log?.Invoke($"HTTP {status} from {method} in {(DateTime.UtcNow - started).TotalMilliseconds:0} ms");
                    return (status, response.Content.Headers.ContentType, answer);
                }
            }
        }

        private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        /// <summary>The body as UTF-8 JSON, written straight to bytes (no string of it in between).</summary>
        private static HttpContent JsonContent(JObject body)
        {
            var bytes = new MemoryStream(8192);   // a 50-command batch fits: one buffer, no regrowth
            using (var text = new StreamWriter(bytes, Utf8, 1024, leaveOpen: true))
            using (var writer = new JsonTextWriter(text) { Formatting = Formatting.None })
                body.WriteTo(writer);
            var content = new ByteArrayContent(bytes.GetBuffer(), 0, (int)bytes.Length);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return content;
        }

        private static async Task<MemoryStream> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellation)
        {
            var length = response.Content.Headers.ContentLength;
            var buffer = new MemoryStream(length > 0 && length < int.MaxValue ? (int)length.Value : 4096);
            using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                await stream.CopyToAsync(buffer, 16384, cancellation).ConfigureAwait(false);
            buffer.Position = 0;
            return buffer;
        }

        /// <summary>The answer's text encoding: its declared charset, else UTF-8 (what portals send).</summary>
        private static Encoding EncodingOf(System.Net.Http.Headers.MediaTypeHeaderValue contentType)
        {
            var charset = contentType?.CharSet?.Trim('"', ' ');
            if (string.IsNullOrEmpty(charset) || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)) return Utf8;
            try { return Encoding.GetEncoding(charset); }
            catch (ArgumentException) { return Utf8; }
        }

        /// <summary>Verbose shows what is sent, but a 50-command batch is cut to stay readable.</summary>
        private static string Shorten(string body) => body.Length <= 4000 ? body : body.Substring(0, 4000) + $"… ({body.Length} characters)";

        /// <summary>Turns an HTTP answer into a response or an exception.</summary>
        private Bitrix24Response Interpret(string method, int status, System.Net.Http.Headers.MediaTypeHeaderValue contentType, MemoryStream answer, bool compactBatchTimes)
        {
            var encoding = EncodingOf(contentType);
            JObject envelope = null;
            try
            {
                using (var text = new StreamReader(answer, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 2048, leaveOpen: true))
                    envelope = JsonText.ParseEnvelope(text, compactBatchTimes) as JObject;
            }
            catch (JsonException)
            {
                // handled below: Bitrix24 and proxies in front of it answer HTML pages on some failures
            }

            if (envelope == null)
            {
                var excerpt = Excerpt(encoding.GetString(answer.GetBuffer(), 0, (int)answer.Length));
                var mediaType = contentType?.MediaType;
                var kind = string.IsNullOrEmpty(mediaType) ? "a body that is not JSON" : $"{mediaType} instead of JSON";
                throw new Bitrix24Exception(method, status >= 500 ? "INTERNAL_SERVER_ERROR" : "INVALID_RESPONSE",
                    $"The portal {_connection.Portal} answered HTTP {status} with {kind}: {excerpt}", status);
            }

            if (envelope.TryGetValue("error", out var error))
            {
                var description = (string)envelope["error_description"] ?? "";
                throw new Bitrix24Exception(method, _connection.Redact(error.ToString()), _connection.Redact(description), status);
            }

            if (status >= 400)
                throw new Bitrix24Exception(method, "", $"HTTP {status} without an error description", status);

            return Bitrix24Response.FromEnvelope(envelope);
        }

        private string Excerpt(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return "(empty)";
            // Strip tags so an HTML error page reads as its words, then shorten.
            var plain = System.Text.RegularExpressions.Regex.Replace(text, "<[^>]*>", " ");
            plain = System.Text.RegularExpressions.Regex.Replace(plain, @"\s+", " ").Trim();
            if (plain.Length > ExcerptLength) plain = plain.Substring(0, ExcerptLength) + "…";
            return _connection.Redact(plain);
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }

        /// <summary>Framework exceptions may quote the request address (and so the webhook secret):
        /// keep only a redacted copy of the message as the inner exception.</summary>
        private Exception Scrub(Exception ex) => new Exception(_connection.Redact(Innermost(ex).Message));

        public void Dispose() => _http.Dispose();
    }
}
