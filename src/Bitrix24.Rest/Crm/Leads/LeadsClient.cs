using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm.Leads
{
    /// <summary>The lead methods, typed: crm.lead.get and crm.lead.update.</summary>
    public sealed class LeadsClient
    {
        private readonly Bitrix24Client _client;

        private readonly LeadRoute _route;

        public LeadsClient(Bitrix24Client client)
        {
            _client = client;
            _route = LeadRoute.For(client.Connection);
        }

        /// <summary>The new lead's id from a crm.lead.add / crm.item.add result (or a lookup's id).</summary>
        public int? NewLeadId(JToken result) =>
            result is JValue value && int.TryParse(value.ToString(), out var id) ? id : _route.ReadNewId(result);

        /// <summary>
        /// The patch as a command for <see cref="Batch.BulkRunner"/>. A patch that needs the lead's current
        /// values (partial address, multi-field additions or removals by text, replaced lists) is
        /// prepared against them just before it is sent, and again before any resend after an unknown
        /// outcome, so a retry never adds a value twice.
        /// </summary>
        public Batch.BulkCommand UpdateCommand(LeadPatch patch, Action<string> notes = null)
        {
            // On the lead route the patch writes itself into the batch (no JSON object per lead).
            var command = _route.UpdatesTakeLeadParameters
                ? new Batch.BulkCommand(_route.Update, patch, patch.Id, patch)
                : new Batch.BulkCommand(_route.Update, _route.UpdateParameters(patch.ToParameters()), patch.Id, patch);
            if (patch.NeedsCurrentLead) command.Prepare = PrepareAgainstCurrent(patch, notes);
            return command;
        }

        private Func<JObject, JObject> PrepareAgainstCurrent(LeadPatch patch, Action<string> notes) => current =>
        {
            var said = new List<string>();
            var prepared = patch.Prepared(current, said);
            foreach (var note in said) notes?.Invoke(note);
            return prepared.IsEmpty ? null : _route.UpdateParameters(prepared.ToParameters());
        };

        /// <summary>
        /// A new lead as a command (crm.lead.add; its result is the new id). Creating is not idempotent:
        /// after an unknown outcome a lead with the same ORIGIN_ID (and ORIGINATOR_ID) is looked for
        /// instead of creating a second one; without ORIGIN_ID the lead is reported as "outcome unknown".
        /// </summary>
        public Batch.BulkCommand AddCommand(LeadPatch newLead, int key)
        {
            var command = new Batch.BulkCommand(_route.Add, _route.AddParameters(newLead.ToParameters()), key, newLead) { Idempotent = false };
            var originId = (string)newLead.FieldValue("ORIGIN_ID");
            if (!string.IsNullOrEmpty(originId))
                command.FindExisting = async (cancellation, log) =>
                {
                    var filter = new JObject { ["=ORIGIN_ID"] = originId };
                    var originator = (string)newLead.FieldValue("ORIGINATOR_ID");
                    if (!string.IsNullOrEmpty(originator)) filter["=ORIGINATOR_ID"] = originator;
                    var found = await _client.CallAsync(_route.List, _route.ListParameters(filter, new JArray("ID"), new JObject(), -1),
                                                        cancellation, log).ConfigureAwait(false);
                    var id = _route.ReadRows(found.Result).Select(r => (string)r["ID"]).FirstOrDefault();
                    log?.Invoke(id != null
                        ? $"The lead with ORIGIN_ID {originId} had been created (id {id}) before the connection failed; not created again."
                        : $"No lead with ORIGIN_ID {originId} yet; creating it again.");
                    return id == null ? null : new JValue(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture));
                };
            return command;
        }

        /// <summary>A deletion as a command (crm.lead.delete). Sent again after an unknown outcome, a
        /// "not found" means the first attempt did it.</summary>
        public Batch.BulkCommand DeleteCommand(int id) =>
            new Batch.BulkCommand(_route.Delete, _route.DeleteParameters(id), id)
            {
                DoneAlreadyWhen = error => error.Kind == Bitrix24ErrorKind.NotFound,
            };

        /// <summary>The contacts linked to a lead (crm.lead.contact.items.get).</summary>
        public async Task<JArray> GetContactsAsync(int id, CancellationToken cancellation, Action<string> log = null)
        {
            if (_client.Connection.LeadApi == LeadApi.Item)
            {
                // The item route keeps the links in the item itself: contactIds, contactId the primary one.
                var lead = await GetAsync(id, cancellation, log).ConfigureAwait(false);
                var ids = (lead.Original["CONTACT_IDS"] as JArray ?? new JArray()).Select(c => c.ToString()).ToList();
                var primary = (string)lead.Original["CONTACT_ID"];
                return new JArray(ids.Select((c, i) => new JObject
                {
                    ["CONTACT_ID"] = int.Parse(c, System.Globalization.CultureInfo.InvariantCulture), ["SORT"] = (i + 1) * 10,
                    ["IS_PRIMARY"] = c == primary ? "Y" : "N",
                }));
            }
            var response = await _client.CallAsync("crm.lead.contact.items.get", new JObject { ["id"] = id }, cancellation, log).ConfigureAwait(false);
            return response.Result as JArray ?? new JArray();
        }

        /// <summary>Sets the contacts linked to a lead (crm.lead.contact.items.set): the list replaces the old one.</summary>
        public async Task SetContactsAsync(int id, IList<int> contactIds, int? primary, CancellationToken cancellation, Action<string> log = null)
        {
            if (_client.Connection.LeadApi == LeadApi.Item)
            {
                var patch = new JObject { ["id"] = id, ["fields"] = new JObject
                {
                    ["CONTACT_IDS"] = new JArray(contactIds),
                    ["CONTACT_ID"] = (primary ?? contactIds.FirstOrDefault()) is int first && first > 0 ? (JToken)first : "",
                } };
                await _client.CallAsync(_route.Update, _route.UpdateParameters(patch), cancellation, log).ConfigureAwait(false);
                return;
            }
            var items = new JArray(contactIds.Select((contact, i) => new JObject
            {
                ["CONTACT_ID"] = contact,
                ["SORT"] = (i + 1) * 10,
                ["IS_PRIMARY"] = (primary ?? contactIds.FirstOrDefault()) == contact ? "Y" : "N",
            }));
            var response = await _client.CallAsync("crm.lead.contact.items.set", new JObject { ["id"] = id, ["items"] = items }, cancellation, log).ConfigureAwait(false);
            if (response.Result == null || response.Result.Type != JTokenType.Boolean || !(bool)response.Result)
                throw new Bitrix24Exception("crm.lead.contact.items.set", "", $"Lead {id}: the contacts were not set ({response.Result}).", 200);
        }

        /// <summary>Reads the current fields of leads for <see cref="Batch.BulkRunner"/> (50 per request).</summary>
        public async Task<IDictionary<int, JObject>> ReadCurrentAsync(IList<int> ids, CancellationToken cancellation, Action<string> log)
        {
            var leads = await GetManyAsync(ids, cancellation, log).ConfigureAwait(false);
            var byId = new Dictionary<int, JObject>();
            foreach (var lead in leads) byId[lead.Id] = lead.Original;
            return byId;
        }

        /// <summary>Reads several leads with one batch of crm.lead.get calls per 50; missing ones are left out.</summary>
        public async Task<IList<LeadSnapshot>> GetManyAsync(IList<int> ids, CancellationToken cancellation, Action<string> log = null) =>
            (await GetEachAsync(ids, cancellation, log).ConfigureAwait(false)).Where(r => r.Lead != null).Select(r => r.Lead).ToList();

        /// <summary>Reads several leads (one batch of crm.lead.get calls per 50), in order, each with its
        /// lead or the error the portal gave for it.</summary>
        public async Task<IList<(int Id, LeadSnapshot Lead, Bitrix24Exception Error)>> GetEachAsync(IList<int> ids, CancellationToken cancellation, Action<string> log = null)
        {
            var results = new List<(int, LeadSnapshot, Bitrix24Exception)>();
            for (var start = 0; start < ids.Count; start += Batch.BulkRunner.ChunkSize)
            {
                var part = ids.Skip(start).Take(Batch.BulkRunner.ChunkSize).ToList();
                if (part.Count == 1)
                {
                    try { results.Add((part[0], await GetAsync(part[0], cancellation, log).ConfigureAwait(false), null)); }
                    catch (Bitrix24Exception ex) when (!ex.IsTransient && ex.Kind != Bitrix24ErrorKind.Authentication) { results.Add((part[0], null, ex)); }
                    continue;
                }
                var items = new Batch.BatchItem[part.Count];
                for (var i = 0; i < part.Count; i++) items[i] = new Batch.BatchItem("g" + i, _route.Get, _route.GetParameters(part[i]));
                var reply = await _client.CallBatchAsync(items, cancellation, log).ConfigureAwait(false);
                for (var i = 0; i < part.Count; i++)
                {
                    var answer = reply.Results[i];
                    var fields = answer.Failed ? null : _route.ReadLead(answer.Result);
                    results.Add(fields != null
                        ? (part[i], new LeadSnapshot(fields), null)
                        : (part[i], null, new Bitrix24Exception(_route.Get, answer.ErrorCode, answer.ErrorDescription ?? "Not found", 400)));
                }
            }
            return results;
        }

        /// <summary>Reads one lead with crm.lead.get.</summary>
        public async Task<LeadSnapshot> GetAsync(int id, CancellationToken cancellation, Action<string> log = null)
        {
            var response = await _client.CallAsync(_route.Get, _route.GetParameters(id), cancellation, log).ConfigureAwait(false);
            var fields = _route.ReadLead(response.Result);
            if (fields == null)
                throw new Bitrix24Exception(_route.Get, "INVALID_RESPONSE", $"Lead {id}: the portal answered without the lead's fields.", 200);
            return new LeadSnapshot(fields);
        }

        /// <summary>Reads the named fields of one lead (crm.lead.list by ID: crm.lead.get has no select).</summary>
        public async Task<LeadSnapshot> GetAsync(int id, IEnumerable<string> select, CancellationToken cancellation, Action<string> log = null)
        {
            var query = new LeadListQuery { Filter = new JObject { ["=ID"] = id }, Select = select.ToList() };
            var parameters = _route.ListParameters(query.Filter, query.SelectWithId(), new JObject(), -1);
            var response = await _client.CallAsync(_route.List, parameters, cancellation, log).ConfigureAwait(false);
            var rows = _route.ReadRows(response.Result);
            if (rows.Count == 0) throw new Bitrix24Exception(_route.List, "", "Not found", 400);
            return new LeadSnapshot(rows[0]);
        }
    }
}