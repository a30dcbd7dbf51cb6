using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm
{
    /// <summary>One entity's methods, typed: get, list, update, add, delete and its links, on the connection's route.</summary>
    public sealed class CrmClient
    {
        private readonly Bitrix24Client _client;

        private readonly CrmRoute _route;

        public CrmClient(Bitrix24Client client, CrmEntity entity)
        {
            _client = client;
            Entity = entity;
            _route = CrmRoute.For(client.Connection, entity);
        }

        public CrmEntity Entity { get; }

        /// <summary>The new record's id from a crm.&lt;entity&gt;.add / crm.item.add result (or a lookup's id).</summary>
        public int? NewRecordId(JToken result) =>
            result is JValue value && int.TryParse(value.ToString(), out var id) ? id : _route.ReadNewId(result);

        /// <summary>
        /// The patch as a command for <see cref="Batch.BulkRunner"/>. A patch that needs the record's current
        /// values (partial address, multi-field additions or removals by text, replaced lists, a stage) is
        /// prepared against them just before it is sent, and again before any resend after an unknown
        /// outcome, so a retry never adds a value twice.
        /// </summary>
        public Batch.BulkCommand UpdateCommand(CrmPatch patch, Action<string> notes = null)
        {
            // crm.<entity>.update does not move a record to another pipeline; crm.item.update does (the docs' way).
            var route = _route;
            if (!route.IsItemRoute && patch.FieldValue(Entity.PipelineField ?? "") != null)
            {
                route = CrmRoute.ItemRoute(Entity);
                notes?.Invoke($"{Entity.Name} {patch.Id}: {Entity.PipelineField} changes the pipeline, which only {route.Update} does; sending it there.");
            }
            // On the classic route the patch writes itself into the batch (no JSON object per record).
            var command = route.UpdatesTakeClassicParameters
                ? new Batch.BulkCommand(route.Update, patch, patch.Id, patch)
                : new Batch.BulkCommand(route.Update, route.UpdateParameters(patch.ToParameters()), patch.Id, patch);
            if (patch.NeedsCurrentRecord) command.Prepare = PrepareAgainstCurrent(patch, route, notes);
            return command;
        }

        private static Func<JObject, JObject> PrepareAgainstCurrent(CrmPatch patch, CrmRoute route, Action<string> notes) => current =>
        {
            var said = new List<string>();
            var prepared = patch.Prepared(current, said);
            foreach (var note in said) notes?.Invoke(note);
            return prepared.IsEmpty ? null : route.UpdateParameters(prepared.ToParameters());
        };

        /// <summary>
        /// A new record as a command (crm.&lt;entity&gt;.add; its result is the new id). Creating is not idempotent:
        /// after an unknown outcome a record with the same ORIGIN_ID (and ORIGINATOR_ID) is looked for
        /// instead of creating a second one; without ORIGIN_ID the record is reported as "outcome unknown".
        /// </summary>
        public Batch.BulkCommand AddCommand(CrmPatch newRecord, int key)
        {
            var command = new Batch.BulkCommand(_route.Add, _route.AddParameters(newRecord.ToParameters()), key, newRecord) { Idempotent = false };
            var originId = (string)newRecord.FieldValue("ORIGIN_ID");
            if (!string.IsNullOrEmpty(originId))
                command.FindExisting = async (cancellation, log) =>
                {
                    var filter = new JObject { ["=ORIGIN_ID"] = originId };
                    var originator = (string)newRecord.FieldValue("ORIGINATOR_ID");
                    if (!string.IsNullOrEmpty(originator)) filter["=ORIGINATOR_ID"] = originator;
                    var found = await _client.CallAsync(_route.List, _route.ListParameters(filter, new JArray("ID"), new JObject(), -1),
                                                        cancellation, log).ConfigureAwait(false);
                    var id = _route.ReadRows(found.Result).Select(r => (string)r["ID"]).FirstOrDefault();
                    log?.Invoke(id != null
                        ? $"The {Entity.ApiName} with ORIGIN_ID {originId} had been created (id {id}) before the connection failed; not created again."
                        : $"No {Entity.ApiName} with ORIGIN_ID {originId} yet; creating it again.");
                    return id == null ? null : new JValue(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture));
                };
            return command;
        }

        /// <summary>A deletion as a command (crm.&lt;entity&gt;.delete). Sent again after an unknown outcome, a
        /// "not found" means the first attempt did it.</summary>
        public Batch.BulkCommand DeleteCommand(int id) =>
            new Batch.BulkCommand(_route.Delete, _route.DeleteParameters(id), id)
            {
                DoneAlreadyWhen = error => error.Kind == Bitrix24ErrorKind.NotFound,
            };

        /// <summary>The records of another entity linked to one of this entity's (crm.deal.contact.items.get):
        /// [{CONTACT_ID, SORT, IS_PRIMARY}] (or COMPANY_ID). On the crm.item route the links are the record's own list field.</summary>
        public async Task<JArray> GetLinksAsync(CrmLink link, int id, CancellationToken cancellation, Action<string> log = null)
        {
            if (_client.Connection.Api == CrmApi.Item)
            {
                var record = await GetAsync(id, cancellation, log).ConfigureAwait(false);
                var ids = (record.Original[link.ListField] as JArray ?? new JArray()).Select(c => c.ToString()).ToList();
                var primary = link.PrimaryField == null ? ids.FirstOrDefault() : (string)record.Original[link.PrimaryField];
                return new JArray(ids.Select((c, i) => new JObject
                {
                    [link.IdKey] = int.Parse(c, System.Globalization.CultureInfo.InvariantCulture), ["SORT"] = (i + 1) * 10,
                    ["IS_PRIMARY"] = c == primary ? "Y" : "N",
                }));
            }
            var response = await _client.CallAsync(link.Methods + ".get", new JObject { ["id"] = id }, cancellation, log).ConfigureAwait(false);
            return response.Result as JArray ?? new JArray();
        }

        /// <summary>Replaces the records linked to one of this entity's (crm.deal.contact.items.set): the list replaces the old one.</summary>
        public async Task SetLinksAsync(CrmLink link, int id, IList<int> ids, int? primary, CancellationToken cancellation, Action<string> log = null)
        {
            var first = primary ?? ids.FirstOrDefault();
            if (_client.Connection.Api == CrmApi.Item)
            {
                var fields = new JObject { [link.ListField] = new JArray(ids) };
                if (link.PrimaryField != null && link.PrimaryField != link.ListField) fields[link.PrimaryField] = first > 0 ? (JToken)first : "";
                await _client.CallAsync(_route.Update, _route.UpdateParameters(new JObject { ["id"] = id, ["fields"] = fields }), cancellation, log).ConfigureAwait(false);
                return;
            }
            var items = new JArray(ids.Select((linked, i) => new JObject
            {
                [link.IdKey] = linked,
                ["SORT"] = (i + 1) * 10,
                ["IS_PRIMARY"] = first == linked ? "Y" : "N",
            }));
            var response = await _client.CallAsync(link.Methods + ".set", new JObject { ["id"] = id, ["items"] = items }, cancellation, log).ConfigureAwait(false);
            if (response.Result == null || response.Result.Type != JTokenType.Boolean || !(bool)response.Result)
                throw new Bitrix24Exception(link.Methods + ".set", "", $"{Entity.Name} {id}: the links were not set ({response.Result}).", 200);
        }

        /// <summary>Reads the current fields of records for <see cref="Batch.BulkRunner"/> (50 per request).</summary>
        public async Task<IDictionary<int, JObject>> ReadCurrentAsync(IList<int> ids, CancellationToken cancellation, Action<string> log)
        {
            var records = await GetManyAsync(ids, cancellation, log).ConfigureAwait(false);
            var byId = new Dictionary<int, JObject>();
            foreach (var record in records) byId[record.Id] = record.Original;
            return byId;
        }

        /// <summary>Reads several records with one batch of get calls per 50; missing ones are left out.</summary>
        public async Task<IList<CrmSnapshot>> GetManyAsync(IList<int> ids, CancellationToken cancellation, Action<string> log = null) =>
            (await GetEachAsync(ids, cancellation, log).ConfigureAwait(false)).Where(r => r.Record != null).Select(r => r.Record).ToList();

        /// <summary>Reads several records (one batch of get calls per 50), in order, each with its
        /// record or the error the portal gave for it.</summary>
        public async Task<IList<(int Id, CrmSnapshot Record, Bitrix24Exception Error)>> GetEachAsync(IList<int> ids, CancellationToken cancellation, Action<string> log = null)
        {
            var results = new List<(int, CrmSnapshot, Bitrix24Exception)>();
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
                    var fields = answer.Failed ? null : _route.ReadRecord(answer.Result);
                    results.Add(fields != null
                        ? (part[i], new CrmSnapshot(Entity, fields), null)
                        : (part[i], null, new Bitrix24Exception(_route.Get, answer.ErrorCode, answer.ErrorDescription ?? "Not found", 400)));
                }
            }
            return results;
        }

        /// <summary>Reads one record with crm.&lt;entity&gt;.get.</summary>
        public async Task<CrmSnapshot> GetAsync(int id, CancellationToken cancellation, Action<string> log = null)
        {
            var response = await _client.CallAsync(_route.Get, _route.GetParameters(id), cancellation, log).ConfigureAwait(false);
            var fields = _route.ReadRecord(response.Result);
            if (fields == null)
                throw new Bitrix24Exception(_route.Get, "INVALID_RESPONSE", $"{Entity.Name} {id}: the portal answered without the {Entity.ApiName}'s fields.", 200);
            return new CrmSnapshot(Entity, fields);
        }

        /// <summary>Reads the named fields of one record (list by ID: get has no select).</summary>
        public async Task<CrmSnapshot> GetAsync(int id, IEnumerable<string> select, CancellationToken cancellation, Action<string> log = null)
        {
            var query = new CrmListQuery(Entity) { Filter = new JObject { ["=ID"] = id }, Select = select.ToList() };
            var selected = query.SelectWithId();
            var parameters = _route.ListParameters(query.Filter, selected, new JObject(), -1);
            var response = await _client.CallAsync(_route.List, parameters, cancellation, log).ConfigureAwait(false);
            var rows = _route.ReadRows(response.Result, selected);
            if (rows.Count == 0) throw new Bitrix24Exception(_route.List, "", "Not found", 400);
            return new CrmSnapshot(Entity, rows[0]);
        }
    }
}