using System;
using System.Diagnostics;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Emulator
{
    /// <summary>
    /// An in-memory Bitrix24 portal: the REST endpoint (webhook and OAuth addressing, JSON and form
    /// bodies), crm.lead.*, crm.status.list and batch, with the envelopes, error bodies and time block
    /// of the real one, plus faults a test can inject. Every call is recorded for tests to inspect.
    /// Thread-safe: calls are served one at a time.
    /// </summary>
    public sealed class EmulatedPortal
    {
        public const int MaxBatchCommands = 50;
        private readonly object _gate = new object();
        private readonly RecordStore _leads;
        private readonly Dictionary<string, RecordStore> _stores;
        private readonly ItemApi _items;
        private int _nextValueId = 1;
        private readonly StatusDirectory _statuses = new StatusDirectory();
        private readonly List<RecordedCall> _calls = new List<RecordedCall>();
        private readonly Queue<Func<EmulatorResponse>> _faults = new Queue<Func<EmulatorResponse>>();
        private readonly LimitState _limitState = new LimitState();
        private Random _random = new Random(1);
        private FaultPlan _faultPlan;
        private int _httpRequests;

        public EmulatedPortal(string webhookSecret = "emulator-secret", int userId = 1)
        {
            WebhookSecret = webhookSecret;
            UserId = userId;
            // Multi-field values and product rows of every entity share one id sequence, as on a portal.
            _stores = new[] { EmulatedEntity.Lead(), EmulatedEntity.Deal(), EmulatedEntity.Contact(), EmulatedEntity.Company() }
                .Concat(EmulatedEntity.SmartProcesses())
                .Select(e => new RecordStore(e, () => DateTimeOffset.Now, () => _nextValueId++) { UserId = userId, Files = Files, Diverges = d => (Divergences & d) != 0 })
                .ToDictionary(s => s.Entity.Name, StringComparer.Ordinal);
            _leads = _stores["lead"];
            _items = new ItemApi(_stores.Values, d => (Divergences & d) != 0);
            _timeline = new Timeline((type, id) => _stores.Values.FirstOrDefault(s => s.Entity.EntityTypeId == type)?.Exists(id) == true,
                                     () => DateTimeOffset.Now, userId);
        }

        private readonly Timeline _timeline;

        /// <summary>The timeline comments as stored (as crm.timeline.comment.list answers them).</summary>
        public IList<JObject> TimelineComments { get { lock (_gate) return _timeline.Comments.Select(c => (JObject)c.DeepClone()).ToList(); } }

        /// <summary>The activities as stored (as crm.activity.list answers them).</summary>
        public IList<JObject> Activities { get { lock (_gate) return _timeline.ActivityRecords.Select(c => (JObject)c.DeepClone()).ToList(); } }

        /// <summary>Adds an activity: kind "call", "meeting", "email" or "todo" (a universal activity, PROVIDER_ID CRM_TODO).</summary>
        public int AddActivity(int ownerTypeId, int ownerId, string kind, string subject, DateTimeOffset deadline, int responsibleId, bool completed = false)
        {
            lock (_gate) return _timeline.AddActivity(ownerTypeId, ownerId, kind, subject, deadline, responsibleId, completed);
        }

        /// <summary>The files uploaded to file fields: id → name and content.</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<int, (string Name, byte[] Content)> Files { get; } =
            new System.Collections.Concurrent.ConcurrentDictionary<int, (string, byte[])>();

        public string WebhookSecret { get; }
        public int UserId { get; }
        /// <summary>OAuth: tokens for the <c>auth</c> parameter and the token endpoint (/oauth/token/).</summary>
        public OAuthServer OAuth { get; } = new OAuthServer();

        /// <summary>The webhook path for this portal: <c>/rest/{user}/{secret}/</c>.</summary>
        public string WebhookPath => $"/rest/{UserId}/{WebhookSecret}/";

        public int HttpRequestCount { get { lock (_gate) return _httpRequests; } }

        /// <summary>The leaky bucket and operating budget; by default the bucket is off.</summary>
        public PortalLimits Limits { get; set; } = new PortalLimits();

        /// <summary>How long each HTTP answer takes (applied by the HTTP hosts, outside the portal's lock).</summary>
        public TimeSpan Latency { get; set; }

        /// <summary>Random faults; null for none. Setting it restarts the seeded random sequence.</summary>
        public FaultPlan Faults
        {
            get { lock (_gate) return _faultPlan; }
            set { lock (_gate) { _faultPlan = value; _random = new Random(value?.Seed ?? 1); } }
        }

        /// <summary>Requests refused with 503 QUERY_LIMIT_EXCEEDED.</summary>
        public int RateLimitedCount { get; private set; }
        /// <summary>Requests answered with an injected 500.</summary>
        public int InjectedServerErrors { get; private set; }
        /// <summary>Connections dropped on purpose (before or after applying the call).</summary>
        public int DroppedConnections { get; private set; }
        /// <summary>Calls refused with OPERATION_TIME_LIMIT (batch sub-commands included).</summary>
        public int OperatingLimitRefusals { get; private set; }
        public int LeadCount { get { lock (_gate) return _leads.Count; } }

        /// <summary>Every call so far, batch sub-commands included (flagged ViaBatch).</summary>
        public IReadOnlyList<RecordedCall> Calls { get { lock (_gate) return _calls.ToList(); } }

        public IReadOnlyList<RecordedCall> CallsTo(string method) =>
            Calls.Where(c => string.Equals(c.Method, method, StringComparison.OrdinalIgnoreCase)).ToList();

        /// <summary>
        /// Whether calls go to <see cref="Calls"/> (the default, for tests). The benchmark's portal turns it
        /// off: kept until cleared, 20,000 recorded updates with their parameters made most of the portal's
        /// garbage survive its collections, and those collections, not the serving, set its pace.
        /// </summary>
        public bool RecordCalls { get; set; } = true;

        private void Record(string method, JObject parameters, string rawBody, bool viaBatch, int httpStatus, string errorDescription)
        {
            if (RecordCalls) _calls.Add(new RecordedCall(method, parameters, rawBody, viaBatch, httpStatus, errorDescription));
        }

        public void ClearLog() { lock (_gate) { _calls.Clear(); _httpRequests = 0; _handlingTicks = 0; } }

        // ---- data -----------------------------------------------------------------------------------

        /// <summary>Adds a lead as crm.lead.add would (same rules) and returns its id.</summary>
        public int AddLead(IDictionary fields) => AddLead(JObject.FromObject(fields));

        /// <summary>Adds an employee that user.get lists (a dismissed one when not <paramref name="active"/>); returns its id.</summary>
        public int AddUser(string name, string lastName, string email, bool active = true) => _statuses.AddUser(name, lastName, email, active);

        public int AddLead(JObject fields) { lock (_gate) return _leads.Create(fields); }

        /// <summary>Adds <paramref name="count"/> simple leads quickly (for listing and bulk tests).</summary>
        public void AddLeads(int count, Func<int, JObject> fields)
        {
            lock (_gate) for (var i = 0; i < count; i++) _leads.Create(fields(i));
        }

        /// <summary>Makes the next new lead get at least <paramref name="id"/> (ids only grow).</summary>
        public void SkipLeadIdsTo(int id) { lock (_gate) _leads.SkipTo(id); }

        /// <summary>The lead as stored (API form), or null.</summary>
        public JObject GetLead(int id) { lock (_gate) return _leads.Snapshot(id); }

        /// <summary>The user may not read or change this lead: the portal answers "Access denied.".</summary>
        public void ForbidLead(int id) { lock (_gate) _leads.Forbidden.Add(id); }

        // ---- other entities (deal, contact, company: the names of crm.<entity>.*) ---------------------

        /// <summary>Adds a record as crm.&lt;entity&gt;.add would (same rules) and returns its id.</summary>
        public int AddRecord(string entity, JObject fields)
        {
            lock (_gate)
            {
                var id = Store(entity).Create(fields);
                if (entity == "contact") LinkFromContacts();
                if (entity == "company") LinkFromCompanies();
                return id;
            }
        }

        /// <summary>Adds <paramref name="count"/> simple records quickly.</summary>
        public void AddRecords(string entity, int count, Func<int, JObject> fields)
        {
            lock (_gate)
            {
                var store = Store(entity);
                for (var i = 0; i < count; i++) store.Create(fields(i));
                if (entity == "contact") LinkFromContacts();
                if (entity == "company") LinkFromCompanies();
            }
        }

        /// <summary>Makes the next new record of <paramref name="entity"/> get at least <paramref name="id"/>.</summary>
        public void SkipRecordIdsTo(string entity, int id) { lock (_gate) Store(entity).SkipTo(id); }

        /// <summary>The record as stored (API form), or null.</summary>
        public JObject GetRecord(string entity, int id) { lock (_gate) return Store(entity).Snapshot(id); }

        /// <summary>Marks a field isImmutable, as a portal's crm.&lt;entity&gt;.fields may (for tests of that flag).</summary>
        public void SetFieldFlags(string entity, string field, bool immutable)
        {
            lock (_gate) Store(entity).Entity.Fields.First(f => f.Name == field).Immutable = immutable;
        }

        public int RecordCount(string entity) { lock (_gate) return Store(entity).Count; }

        /// <summary>The deal's product rows as stored.</summary>
        public JArray GetProductRows(int dealId) { lock (_gate) return (JArray)_stores["deal"].ProductRows(new JObject { ["id"] = dealId }); }

        private RecordStore Store(string entity) =>
            _stores.TryGetValue((entity ?? "").ToLowerInvariant(), out var store) ? store : throw new ArgumentException($"No entity '{entity}' (lead, deal, contact, company, item1032, item1036).", nameof(entity));

        /// <summary>crm.item fields (camelCase, fm) as the lead fields they stand for: lets tests read
        /// what travelled on either route the same way.</summary>

        /// <summary>The demo portal of <c>Connect-Bitrix24 -Sandbox</c>: a few leads, ids from 1600.</summary>
        public static EmulatedPortal CreateDemo(string webhookSecret = "sandbox-secret")
        {
            var portal = new EmulatedPortal(webhookSecret);
            portal._leads.SkipTo(1600);
            var demo = new[]
            {
                ("Website enquiry", "Anna", "Petrova", "NEW", "WEB", "1200"),
                ("Call back about prices", "Boris", "Ivanov", "NEW", "CALL", "0"),
                ("Trade show contact", "Clara", "Smirnova", "IN_PROCESS", "OTHER", "5400"),
                ("Partner referral", "Dmitry", "Orlov", "NEW", "PARTNER", "18000"),
                ("Newsletter signup", "Elena", "Volkova", "PROCESSED", "EMAIL", "0"),
                ("Ad campaign lead", "Fyodor", "Sokolov", "NEW", "ADVERTISING", "2500"),
                ("Recommendation", "Galina", "Lebedeva", "IN_PROCESS", "RECOMMENDATION", "9100"),
                ("Second website enquiry", "Igor", "Kozlov", "NEW", "WEB", "700"),
                ("Call from Gleb", "Gleb", "T.", "NEW", "CALL", "0"),
            };
            foreach (var (title, name, last, status, source, amount) in demo)
                portal.AddLead(new JObject
                {
                    ["TITLE"] = title, ["NAME"] = name, ["LAST_NAME"] = last, ["STATUS_ID"] = status,
                    ["SOURCE_ID"] = source, ["OPPORTUNITY"] = amount, ["CURRENCY_ID"] = "USD",
                    ["PHONE"] = new JArray(new JObject { ["VALUE"] = "+1 555 01" + portal.LeadCount.ToString("00"), ["VALUE_TYPE"] = "WORK" }),
                    ["ADDRESS"] = "1 Main St", ["ADDRESS_CITY"] = "Springfield", ["ADDRESS_COUNTRY"] = "USA",
                });
            portal.SkipRecordIdsTo("company", 10);
            portal.SkipRecordIdsTo("contact", 40);
            portal.SkipRecordIdsTo("deal", 120);
            var acme = portal.AddRecord("company", new JObject
            {
                ["TITLE"] = "Acme Supplies", ["COMPANY_TYPE"] = "CUSTOMER", ["INDUSTRY"] = "MANUFACTURING", ["EMPLOYEES"] = "EMPLOYEES_2",
                ["PHONE"] = new JArray(new JObject { ["VALUE"] = "+1 555 0200", ["VALUE_TYPE"] = "WORK" }),
            });
            var globex = portal.AddRecord("company", new JObject { ["TITLE"] = "Globex", ["COMPANY_TYPE"] = "PARTNER", ["INDUSTRY"] = "IT" });
            var anna = portal.AddRecord("contact", new JObject
            {
                ["NAME"] = "Anna", ["LAST_NAME"] = "Petrova", ["TYPE_ID"] = "CLIENT", ["COMPANY_ID"] = acme, ["COMPANY_IDS"] = new JArray(acme),
                ["EMAIL"] = new JArray(new JObject { ["VALUE"] = "anna@acme.example", ["VALUE_TYPE"] = "WORK" }),
            });
            var boris = portal.AddRecord("contact", new JObject { ["NAME"] = "Boris", ["LAST_NAME"] = "Ivanov", ["TYPE_ID"] = "PARTNER", ["COMPANY_IDS"] = new JArray(globex) });
            // The records the REST docs' update examples name (crm-company-update.md: company 43 and companies 12, 13, 15;
            // crm-contact-update.md: contact 43; crm-deal-update.md: deal 123), so the help's examples run as written.
            portal.AddRecord("company", new JObject { ["TITLE"] = "Initech", ["COMPANY_TYPE"] = "CUSTOMER", ["INDUSTRY"] = "BANKING" });
            portal.AddRecord("company", new JObject { ["TITLE"] = "Umbrella Bank", ["COMPANY_TYPE"] = "CUSTOMER", ["INDUSTRY"] = "FINANCE" });
            portal.SkipRecordIdsTo("company", 15);
            portal.AddRecord("company", new JObject { ["TITLE"] = "Stark Industries", ["COMPANY_TYPE"] = "PARTNER", ["INDUSTRY"] = "MANUFACTURING" });
            portal.SkipRecordIdsTo("company", 43);
            portal.AddRecord("company", new JObject { ["TITLE"] = "Hooli", ["COMPANY_TYPE"] = "CUSTOMER", ["INDUSTRY"] = "IT", ["CURRENCY_ID"] = "USD" });
            portal.SkipRecordIdsTo("contact", 43);
            portal.AddRecord("contact", new JObject { ["NAME"] = "John", ["LAST_NAME"] = "Smith", ["TYPE_ID"] = "CLIENT", ["POST"] = "Administrator" });
            portal.AddRecord("deal", new JObject { ["TITLE"] = "Acme yearly order", ["STAGE_ID"] = "PREPARATION", ["OPPORTUNITY"] = "18000", ["COMPANY_ID"] = acme, ["CONTACT_IDS"] = new JArray(anna) });
            portal.AddRecord("deal", new JObject { ["TITLE"] = "Globex support", ["TYPE_ID"] = "SERVICES", ["OPPORTUNITY"] = "4200", ["COMPANY_ID"] = globex, ["CONTACT_IDS"] = new JArray(boris) });
            portal.AddRecord("deal", new JObject { ["TITLE"] = "Wholesale pallets", ["CATEGORY_ID"] = "1", ["STAGE_ID"] = "C1:NEW", ["OPPORTUNITY"] = "9600", ["COMPANY_ID"] = acme });
            portal.AddRecord("deal", new JObject { ["TITLE"] = "Hooli expansion", ["STAGE_ID"] = "NEW", ["OPPORTUNITY"] = "25000", ["COMPANY_ID"] = 43 });
            portal._stores["deal"].SetProductRows(new JObject
            {
                ["id"] = 120, ["rows"] = new JArray(new JObject { ["PRODUCT_NAME"] = "Office chair", ["PRICE"] = 150, ["QUANTITY"] = 40 },
                                                    new JObject { ["PRODUCT_NAME"] = "Standing desk", ["PRICE"] = 600, ["QUANTITY"] = 20 }),
            });
            portal._leads.SetLinkItems(new JObject { ["id"] = 1608, ["items"] = new JArray(new JObject { ["CONTACT_ID"] = boris, ["IS_PRIMARY"] = "Y" }) },
                                       portal._leads.Entity.Links["contact"]);
            portal.AddRecord("item1032", new JObject { ["TITLE"] = "Acme service contract", ["STAGE_ID"] = "DT1032_8:PREPARATION", ["UF_CRM_5_AMOUNT"] = "12000", ["UF_CRM_5_KIND"] = "1", ["COMPANY_ID"] = acme });
            portal.AddRecord("item1032", new JObject { ["TITLE"] = "Globex hardware lease", ["STAGE_ID"] = "DT1032_8:NEW", ["UF_CRM_5_AMOUNT"] = "5400", ["UF_CRM_5_KIND"] = "3", ["COMPANY_ID"] = globex });
            portal.AddRecord("item1032", new JObject { ["TITLE"] = "Pallet supply 2027", ["CATEGORY_ID"] = "9", ["STAGE_ID"] = "DT1032_9:APPROVAL", ["UF_CRM_5_AMOUNT"] = "9600", ["UF_CRM_5_KIND"] = "2", ["COMPANY_ID"] = acme });
            portal.AddRecord("item1032", new JObject { ["TITLE"] = "Initech consulting", ["STAGE_ID"] = "DT1032_8:NEW", ["UF_CRM_5_AMOUNT"] = "2400", ["UF_CRM_5_KIND"] = "1", ["COMPANY_ID"] = 12 });
            portal.AddRecord("item1032", new JObject { ["TITLE"] = "Stark equipment lease", ["STAGE_ID"] = "DT1032_8:NEW", ["UF_CRM_5_AMOUNT"] = "8800", ["UF_CRM_5_KIND"] = "3", ["COMPANY_ID"] = 15 });
            portal.AddRecord("item1036", new JObject { ["TITLE"] = "Warehouse move", ["STAGE_ID"] = "DT1036_11:WORK", ["UF_CRM_6_BUDGET"] = "30000", ["UF_CRM_6_CODE"] = "WH-7" });
            // Maria Ivanova (user 7, maria@example.com) has work of her own, for the help's hand-over examples.
            foreach (var (entity, id) in new[] { ("deal", 121), ("deal", 123), ("lead", 1602), ("lead", 1606), ("contact", 41) })
                portal._stores[entity].Update(new JObject { ["id"] = id, ["fields"] = new JObject { ["ASSIGNED_BY_ID"] = 7 } });
            var at = new DateTimeOffset(2027, 1, 15, 10, 0, 0, RecordStore.Offset);
            portal._timeline.AddActivity(2, 121, "todo", "Send the support contract", at, 7, false);
            portal._timeline.AddActivity(2, 123, "todo", "Call Hooli about the expansion", at.AddDays(3), 7, false);
            portal._timeline.AddActivity(2, 120, "todo", "Confirm the delivery date", at.AddDays(-7), 1, false);
            portal._timeline.AddActivity(3, 40, "call", "Outgoing call Anna Petrova", at.AddDays(-60), 1, true);
            portal._timeline.AddActivity(1, 1600, "meeting", "Meeting about the website", at.AddDays(2), 12, false);
            portal._timeline.Dispatch("crm.timeline.comment.add", new JObject
            {
                ["fields"] = new JObject { ["ENTITY_ID"] = 120, ["ENTITY_TYPE"] = "deal", ["COMMENT"] = "The customer asked for delivery in March." },
            });
            return portal;
        }

        // ---- faults -----------------------------------------------------------------------------------

        /// <summary>The next <paramref name="count"/> HTTP requests get this error answer.</summary>
        public void FailNext(int status, string code, string description, int count = 1)
        {
            lock (_gate)
                for (var i = 0; i < count; i++)
                    _faults.Enqueue(() => ErrorAnswer(status, code, description));
        }

        /// <summary>The next HTTP request is applied, then its connection drops before the answer.</summary>
        public void DropNextAfterApplying() { lock (_gate) _dropNextAfterApplying++; }

        private int _dropNextAfterApplying;

        /// <summary>The scopes the credential was given (the scope method answers them).</summary>
        public IList<string> Scopes { get; set; } = new List<string> { "crm", "user" };

        /// <summary>Answers other than the docs say (none by default), for tests that must notice them.</summary>
        public PortalDivergence Divergences { get; set; }

        private readonly Dictionary<string, Queue<JObject>> _canned = new Dictionary<string, Queue<JObject>>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The next call of <paramref name="method"/> (plain or in a batch) is answered with
        /// <paramref name="envelope"/>'s result, total and next, as given: a doc page's example answer.</summary>
        public void AnswerNextWith(string method, JObject envelope)
        {
            lock (_gate)
            {
                if (!_canned.TryGetValue(method, out var queue)) _canned[method] = queue = new Queue<JObject>();
                queue.Enqueue((JObject)envelope.DeepClone());
            }
        }

        /// <summary>How many answers given with <see cref="AnswerNextWith"/> have not been served yet.</summary>
        public int CannedAnswersLeft { get { lock (_gate) return _canned.Values.Sum(q => q.Count); } }

        /// <summary>The next HTTP request gets an HTML page, as proxies and some portal errors answer.</summary>
        public void AnswerNextWithHtml(int status, string html)
        {
            lock (_gate) _faults.Enqueue(() => new EmulatorResponse(status, html, "text/html"));
        }

        // ---- the endpoint -------------------------------------------------------------------------------

        /// <summary>Serves one HTTP request: <paramref name="pathAndQuery"/> as received, the body as text.</summary>
        public EmulatorResponse Handle(string httpMethod, string pathAndQuery, string contentType, string body)
        {
            lock (_gate)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    return HandleLocked(pathAndQuery, contentType, body);
                }
                finally
                {
                    _handlingTicks += Stopwatch.GetTimestamp() - started;
                }
            }
        }

        private long _handlingTicks;

        /// <summary>
        /// How long the portal has spent serving requests (holding its lock) since the log was cleared.
        /// It serves one at a time, so wall time minus this is the time it sat waiting for a request: the
        /// benchmark uses it to tell a client that does not keep the portal busy from one that does.
        /// </summary>
        public TimeSpan HandlingTime { get { lock (_gate) return TimeSpan.FromSeconds(_handlingTicks / (double)Stopwatch.Frequency); } }

        private EmulatorResponse HandleLocked(string pathAndQuery, string contentType, string body)
        {
            // The OAuth server is another host (oauth.bitrix.info): not the portal's bucket or faults.
            if (pathAndQuery.StartsWith("/oauth/token", StringComparison.Ordinal))
            {
                var at = pathAndQuery.IndexOf('?');
                return OAuth.Token(PhpQuery.Parse(at < 0 ? "" : pathAndQuery.Substring(at + 1)));
            }
            _httpRequests++;
            if (_faults.Count > 0) return _faults.Dequeue()();
            if (!_limitState.TryEnter(Limits, DateTime.UtcNow))
            {
                RateLimitedCount++;
                return ErrorAnswer(503, "QUERY_LIMIT_EXCEEDED", "Too many requests");
            }
            var dropAfterApplying = _dropNextAfterApplying > 0;
            if (dropAfterApplying) { _dropNextAfterApplying--; DroppedConnections++; }
            if (_faultPlan != null)
            {
                var roll = _random.NextDouble();
                if (roll < _faultPlan.ServerErrorRate)
                {
                    InjectedServerErrors++;
                    return ErrorAnswer(500, "INTERNAL_SERVER_ERROR", "Internal server error");
                }
                if (roll < _faultPlan.ServerErrorRate + _faultPlan.DropRate)
                {
                    DroppedConnections++;
                    if (_random.Next(2) == 0) return new EmulatorResponse(0, "") { DropConnection = true };
                    dropAfterApplying = true;
                }
            }

            var queryAt = pathAndQuery.IndexOf('?');
            var path = queryAt < 0 ? pathAndQuery : pathAndQuery.Substring(0, queryAt);
            var query = queryAt < 0 ? "" : pathAndQuery.Substring(queryAt + 1);
            // A file field's downloadUrl (the address our stored files are given; the docs show no such address).
            if (path.EndsWith("/show_file.php", StringComparison.Ordinal))
            {
                var file = RecordStore.ToInt((string)PhpQuery.Parse(query)["fileId"]);
                return file != null && Files.TryGetValue(file.Value, out var stored)
                    ? new EmulatorResponse(stored.Content, stored.Name)
                    : new EmulatorResponse(404, "File not found", "text/plain");
            }
            var segments = path.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length < 2 || segments[0] != "rest")
                return ErrorAnswer(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");

            JObject parameters;
            try
            {
                parameters = PhpQuery.Parse(query);
                var isJson = (contentType ?? "").IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0;
                var fromBody = string.IsNullOrWhiteSpace(body) ? new JObject()
                             : isJson ? ParseJsonObject(body) : PhpQuery.Parse(body);
                parameters.Merge(fromBody);
            }
            catch (JsonException)
            {
                return ErrorAnswer(400, "INVALID_REQUEST", "Invalid request body: not valid JSON.");
            }

            string method;
            if (segments.Length == 4)
            {
                if (segments[1] != UserId.ToString(CultureInfo.InvariantCulture) || Uri.UnescapeDataString(segments[2]) != WebhookSecret)
                    return ErrorAnswer(401, "NO_AUTH_FOUND", "Wrong authorization data");
                method = segments[3];
            }
            else if (segments.Length == 2)
            {
                var refused = OAuth.Check((string)parameters["auth"]);
                if (refused != null) return ErrorAnswer(refused.Status, refused.Code, refused.Description);
                parameters.Remove("auth");
                method = segments[1];
            }
            else
            {
                return ErrorAnswer(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
            }
            if (method.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) method = method.Substring(0, method.Length - 5);
            method = method.ToLowerInvariant();

            var started = UnixNow();
            try
            {
                var (result, total, next) = Dispatch(method, parameters, viaBatch: false);
                KeepCompanyContactLinks(method, parameters);
                Record(method, parameters, body, false, 200, null);
                var envelope = new JObject { ["result"] = result };
                if (total.HasValue) envelope["total"] = total.Value;
                if (next.HasValue) envelope["next"] = next.Value;
                if ((Divergences & PortalDivergence.NoTimeBlock) == 0) envelope["time"] = TimeBlock(started, method);
                return new EmulatorResponse(200, envelope.ToString(Formatting.None)) { DropConnection = dropAfterApplying };
            }
            catch (PortalError error)
            {
                Record(method, parameters, body, false, error.Status, error.Description);
                var answer = ErrorAnswer(error.Status, error.Code, error.Description);
                answer.DropConnection = dropAfterApplying;
                return answer;
            }
        }

        /// <summary>An HttpMessageHandler that serves requests from this portal in-process.</summary>
        public HttpMessageHandler CreateHandler() => new PortalHttpHandler(this);

        private (JToken result, int? total, int? next) Dispatch(string method, JObject p, bool viaBatch)
        {
            // The operating budget counts each method for itself; the outer batch call is not counted.
            if (method != "batch")
            {
                var now = DateTime.UtcNow;
                if (_limitState.Operating(method, Limits, now) >= Limits.OperatingLimitSeconds)
                {
                    OperatingLimitRefusals++;
                    throw new PortalError(429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.");
                }
                _limitState.Charge(method, Limits, now, Limits.OperatingCostPerCall);
            }
            if (_canned.TryGetValue(method, out var canned) && canned.Count > 0)
            {
                var envelope = canned.Dequeue();
                return (envelope["result"], (int?)envelope["total"], (int?)envelope["next"]);
            }
            switch (method)
            {
                // The status, category and type lists answer a total (crm-status-list.md, crm-category-list.md, crm-type-list.md).
                case "crm.status.list": var statuses = _statuses.List(p); return (statuses, ((JArray)statuses).Count, null);
                case "crm.category.list": var categories = _statuses.Categories(p); return (categories, ((JArray)categories["categories"]).Count, null);
                case "crm.deal.productrows.get": return (_stores["deal"].ProductRows(p), null, null);
                case "crm.deal.productrows.set": return (_stores["deal"].SetProductRows(p), null, null);
                case "crm.type.list": var types = _items.Types(); return (types, ((JArray)types["types"]).Count, null);
                case "crm.item.fields":
                case "crm.item.get":
                case "crm.item.list":
                case "crm.item.update":
                case "crm.item.add":
                case "crm.item.delete":
                    return _items.Dispatch(method, p);
                // crm/currency/crm-currency-list.md: AMOUNT_CNT as a string, and a total.
                case "crm.currency.list": var currencies = _statuses.Currencies(); return (currencies, ((JArray)currencies).Count, null);
                case "crm.duplicate.findbycomm": return (FindByCommunication(p), null, null);
                // common/system/scope.md: the scopes the webhook or app was given, as an array of names.
                case "scope": return (new JArray(Scopes), null, null);
                case "user.get": return _statuses.Users(p);
                case var timeline when _timeline.Serves(timeline): return _timeline.Dispatch(method, p);
                case "batch":
                    if (viaBatch) throw new PortalError(405, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage");
                    return (Batch(p), null, null);
                default: return DispatchEntity(method, p);
            }
        }

        /// <summary>
        /// A contact's companies and a company's contacts are one relation seen from two sides (crm.contact.company.items.*
        /// and crm.company.contact.items.* name the same links): after a change on one side the other side is made to match.
        /// </summary>
        private void KeepCompanyContactLinks(string method, JObject p)
        {
            var linksSent = (p["fields"] as JObject)?.Properties().Any(f => LinkFields.Contains(f.Name)) == true;
            if (!(linksSent || method.EndsWith(".delete", StringComparison.Ordinal) || method.EndsWith(".items.set", StringComparison.Ordinal))) return;
            var fromCompany = method.StartsWith("crm.company.", StringComparison.Ordinal)
                              || method.StartsWith("crm.item.", StringComparison.Ordinal) && (string)p["entityTypeId"]?.ToString() == "4";
            var fromContact = method.StartsWith("crm.contact.", StringComparison.Ordinal)
                              || method.StartsWith("crm.item.", StringComparison.Ordinal) && (string)p["entityTypeId"]?.ToString() == "3";
            if (fromCompany && !method.EndsWith(".delete", StringComparison.Ordinal)) LinkFromCompanies();
            else if (fromContact || method.EndsWith(".delete", StringComparison.Ordinal)) LinkFromContacts();
        }

        /// <summary>
        /// crm.duplicate.findbycomm (crm/duplicates/crm-duplicate-find-by-comm.md): {LEAD, CONTACT, COMPANY: [ids]} of the
        /// records holding one of the values, only the types found; a phone is compared by its digits, without an
        /// extension. What it answers when nothing is found the page does not show: here [], as PHP writes an empty array.
        /// </summary>
        private JToken FindByCommunication(JObject p)
        {
            var type = ((string)p["type"] ?? "").ToUpperInvariant();
            if (type.Length == 0) throw new PortalError(400, "Communication type is not defined", "Parameter 'type' is required.");
            if (type != "PHONE" && type != "EMAIL") throw new PortalError(400, $"Communication type '{type}' is not supported in current context", "");
            var given = p["values"] is JArray list ? list.Select(v => v.ToString()) : (p["values"] as JObject)?.Properties().Select(v => v.Value.ToString());
            var wanted = new HashSet<string>((given ?? Enumerable.Empty<string>()).Select(v => Communication(type, v)).Where(v => v.Length > 0));
            if (wanted.Count == 0) throw new PortalError(400, "Communication values is not defined", "");
            var only = ((string)p["entity_type"])?.ToUpperInvariant();
            var result = new JObject();
            foreach (var (store, key) in new[] { ("lead", "LEAD"), ("contact", "CONTACT"), ("company", "COMPANY") })
            {
                if (only != null && only != key) continue;
                var ids = _stores[store].Records
                    .Where(r => (r[type] as JArray)?.OfType<JObject>().Any(e => wanted.Contains(Communication(type, (string)e["VALUE"]))) == true)
                    .Select(r => int.Parse((string)r["ID"], CultureInfo.InvariantCulture)).ToList();
                if (ids.Count > 0) result[key] = new JArray(ids);
            }
            return result.HasValues ? (JToken)result : new JArray();
        }

        /// <summary>A phone's digits before any extension; an e-mail without case.</summary>
        private static string Communication(string type, string value)
        {
            value = (value ?? "").Trim();
            if (type == "EMAIL") return value.ToLowerInvariant();
            var extension = Regex.Match(value, @"(ext\.?|x|#|доб\.?)\s*\d+\s*$", RegexOptions.IgnoreCase);
            if (extension.Success) value = value.Substring(0, extension.Index);
            return new string(value.Where(char.IsDigit).ToArray());
        }

        private static readonly HashSet<string> LinkFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "COMPANY_ID", "COMPANY_IDS", "CONTACT_ID", "companyIds", "contactIds",
        };

        private static List<string> Ids(JToken list) => (list as JArray ?? new JArray()).Select(i => i.ToString()).ToList();

        /// <summary>Each company's contacts become the contacts that name it.</summary>
        private void LinkFromContacts()
        {
            var contacts = _stores["contact"].Records.ToList();
            foreach (var company in _stores["company"].Records)
            {
                var id = (string)company["ID"];
                var had = Ids(company["CONTACT_ID"]);
                var now = contacts.Where(c => Ids(c["COMPANY_IDS"]).Contains(id)).Select(c => (string)c["ID"]).ToList();
                company["CONTACT_ID"] = new JArray(had.Where(now.Contains).Concat(now.Where(c => !had.Contains(c))));
            }
        }

        /// <summary>Each contact's companies become the companies that name it (its primary company kept while it is one of them).</summary>
        private void LinkFromCompanies()
        {
            var companies = _stores["company"].Records.ToList();
            foreach (var contact in _stores["contact"].Records)
            {
                var id = (string)contact["ID"];
                var had = Ids(contact["COMPANY_IDS"]);
                var now = companies.Where(c => Ids(c["CONTACT_ID"]).Contains(id)).Select(c => (string)c["ID"]).ToList();
                var list = had.Where(now.Contains).Concat(now.Where(c => !had.Contains(c))).ToList();
                contact["COMPANY_IDS"] = new JArray(list);
                if (!list.Contains((string)contact["COMPANY_ID"] ?? "")) contact["COMPANY_ID"] = list.Count > 0 ? list[0] : null;
            }
        }

        /// <summary>crm.&lt;entity&gt;.fields|get|list|update|add|delete and crm.&lt;entity&gt;.&lt;other&gt;.items.get|set.</summary>
        private (JToken result, int? total, int? next) DispatchEntity(string method, JObject p)
        {
            var parts = method.Split('.');
            if (parts.Length < 3 || parts[0] != "crm" || !_stores.TryGetValue(parts[1], out var store) || store.Entity.IsSmartProcess)
                throw new PortalError(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
            if (parts.Length == 5 && parts[3] == "items" && store.Entity.Links.TryGetValue(parts[2], out var link))
            {
                if (parts[4] == "get") return (store.LinkItems(p, link), null, null);
                if (parts[4] == "set") return (store.SetLinkItems(p, link), null, null);
            }
            if (parts.Length == 3)
                switch (parts[2])
                {
                    case "fields": return (store.Fields(), null, null);
                    case "get": return (store.Get(p), null, null);
                    case "update": return (store.Update(p), null, null);
                    case "add": return (store.Add(p), null, null);
                    case "delete": return (store.Delete(p), null, null);
                    case "list": return store.List(p);
                }
            throw new PortalError(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
        }

        // ---- batch ------------------------------------------------------------------------------------

        private static readonly Regex Reference = new Regex(@"\$(result|next|total|time|error)\[([^\]]*)\]((?:\[[^\]]*\])*)", RegexOptions.Compiled);

        private JToken Batch(JObject p)
        {
            var halt = p["halt"] != null && p["halt"].ToString() != "0" && !string.Equals(p["halt"].ToString(), "false", StringComparison.OrdinalIgnoreCase);
            var commands = p["cmd"] is JObject named ? named.Properties().Select(c => (c.Name, c.Value.ToString())).ToList()
                         : p["cmd"] is JArray list ? list.Select((c, i) => (i.ToString(CultureInfo.InvariantCulture), c.ToString())).ToList()
                         : new List<(string, string)>();
            var results = new JObject();
            var errors = new JObject();
            var totals = new JObject();
            var nexts = new JObject();
            var times = new JObject();
            var index = 0;
            foreach (var (name, command) in commands)
            {
                index++;
                if (index > MaxBatchCommands)
                {
                    errors[name] = new JObject { ["error"] = "ERROR_BATCH_LENGTH_EXCEEDED", ["error_description"] = "Max batch length exceeded" };
                    continue;
                }
                var started = UnixNow();
                var queryAt = command.IndexOf('?');
                var method = (queryAt < 0 ? command : command.Substring(0, queryAt)).Trim().ToLowerInvariant();
                var query = queryAt < 0 ? "" : command.Substring(queryAt + 1);
                var parameters = PhpQuery.Parse(query);
                ResolveReferences(parameters, results, nexts, totals, times, errors);
                try
                {
                    var (result, total, next) = Dispatch(method, parameters, viaBatch: true);
                    KeepCompanyContactLinks(method, parameters);
                    Record(method, parameters, command, true, 200, null);
                    results[name] = result;
                    if (total.HasValue) totals[name] = total.Value;
                    if (next.HasValue) nexts[name] = next.Value;
                    times[name] = TimeBlock(started, method);
                }
                catch (PortalError error)
                {
                    Record(method, parameters, command, true, error.Status, error.Description);
                    errors[name] = new JObject { ["error"] = error.Code, ["error_description"] = error.Description };
                    if (halt) break;
                }
            }
            // PHP's json_encode writes an empty array as [] and a filled one as an object.
            JToken Php(JObject o) => o.HasValues ? (JToken)o : new JArray();
            return new JObject
            {
                ["result"] = Php(results),
                ["result_error"] = Php(errors),
                ["result_total"] = Php(totals),
                ["result_next"] = Php(nexts),
                ["result_time"] = Php(times),
            };
        }

        /// <summary>Replaces <c>$result[name][0][ID]</c> style references with earlier commands' values.
        /// An unresolvable reference becomes empty (undocumented on the real portal).</summary>
        private static void ResolveReferences(JToken node, JObject results, JObject nexts, JObject totals, JObject times, JObject errors)
        {
            if (node is JObject obj) { foreach (var child in obj.Properties().ToList()) ResolveReferences(child.Value, results, nexts, totals, times, errors); return; }
            if (node is JArray array) { foreach (var child in array.ToList()) ResolveReferences(child, results, nexts, totals, times, errors); return; }
            if (!(node is JValue value) || value.Type != JTokenType.String) return;
            var text = (string)value;
            if (text.IndexOf('$') < 0) return;
            value.Value = Reference.Replace(text, match =>
            {
                var source = match.Groups[1].Value == "result" ? results : match.Groups[1].Value == "next" ? nexts
                           : match.Groups[1].Value == "total" ? totals : match.Groups[1].Value == "time" ? times : errors;
                JToken current = source[match.Groups[2].Value];
                foreach (Match step in Regex.Matches(match.Groups[3].Value, @"\[([^\]]*)\]"))
                {
                    var key = step.Groups[1].Value;
                    current = current is JArray list && int.TryParse(key, out var i) ? (i >= 0 && i < list.Count ? list[i] : null)
                            : current is JObject o ? o[key] : null;
                }
                return current == null || current.Type == JTokenType.Null ? "" : current is JValue v ? Convert.ToString(v.Value, CultureInfo.InvariantCulture) : current.ToString(Formatting.None);
            });
        }

        // ---- envelopes --------------------------------------------------------------------------------

        private JObject TimeBlock(double started, string method)
        {
            var finished = UnixNow();
            var now = DateTime.UtcNow;
            var processing = method == "batch" ? finished - started : Math.Max(finished - started, Limits.OperatingCostPerCall);
            return new JObject
            {
                ["start"] = started,
                ["finish"] = finished,
                ["duration"] = finished - started,
                ["processing"] = processing,
                ["date_start"] = RecordStore.Stamp(DateTimeOffset.FromUnixTimeMilliseconds((long)(started * 1000))),
                ["date_finish"] = RecordStore.Stamp(DateTimeOffset.FromUnixTimeMilliseconds((long)(finished * 1000))),
                ["operating_reset_at"] = (long)Math.Ceiling(_limitState.ResetAt(method, Limits, now)),
                ["operating"] = _limitState.Operating(method, Limits, now),
            };
        }

        /// <summary>PHP's json_decode keeps strings as strings; so must we (no DateTime guessing).</summary>
        private static JObject ParseJsonObject(string body)
        {
            using (var reader = new JsonTextReader(new System.IO.StringReader(body)) { DateParseHandling = DateParseHandling.None })
                return JObject.Load(reader);
        }

        private static EmulatorResponse ErrorAnswer(int status, string code, string description) =>
            new EmulatorResponse(status, new JObject { ["error"] = code ?? "", ["error_description"] = description }.ToString(Formatting.None));

        private static double UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
    }
}
