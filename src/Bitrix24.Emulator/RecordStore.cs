using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Emulator
{
    /// <summary>
    /// One entity's records (leads, deals, contacts, companies) and its crm.&lt;entity&gt;.* methods, with
    /// the server's quiet habits kept on purpose: unknown and read-only fields are dropped without a
    /// word, unreadable dates leave the old value, a phone given as a plain string is ignored, an
    /// address is rebuilt from the parts sent, and crm.deal.update leaves CATEGORY_ID as it was.
    /// Values are stored as the API returns them: strings.
    /// </summary>
    internal sealed class RecordStore
    {
        public const int PageSize = 50;
        private readonly SortedDictionary<int, JObject> _records = new SortedDictionary<int, JObject>();
        private readonly List<int> _ids = new List<int>();   // ascending: ids only grow
        private readonly Dictionary<string, EmulatedField> _fields;
        private readonly Func<DateTimeOffset> _now;
        private readonly Func<int> _nextValueId;
        private int _nextId = 1;

        public RecordStore(EmulatedEntity entity, Func<DateTimeOffset> now, Func<int> nextValueId)
        {
            Entity = entity;
            _now = now;
            _nextValueId = nextValueId;
            _fields = entity.Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        }

        public EmulatedEntity Entity { get; }
        public bool Exists(int id) => _records.ContainsKey(id);
        /// <summary>crm.deal.productrows: the rows of each record, as set.</summary>
        private readonly Dictionary<int, JArray> _productRows = new Dictionary<int, JArray>();

        public int UserId { get; set; } = 1;
        /// <summary>Whether the portal was told to answer other than the docs in this way.</summary>
        public Func<PortalDivergence, bool> Diverges { get; set; } = _ => false;
        public int Count => _records.Count;
        /// <summary>Ids the calling user may not touch (answers "Access denied.").</summary>
        public HashSet<int> Forbidden { get; } = new HashSet<int>();

        public JObject Snapshot(int id) => _records.TryGetValue(id, out var record) ? (JObject)record.DeepClone() : null;

        /// <summary>The stored records themselves (for the portal to keep a relation both stores hold).</summary>
        internal IEnumerable<JObject> Records => _records.Values;

        // ---- methods --------------------------------------------------------------------------------

        public JToken Fields()
        {
            var result = new JObject();
            foreach (var field in _fields.Values)
                result[field.Name] = field.Name == Entity.PipelineField && Diverges(PortalDivergence.DealPipelineNotImmutable) ? field.Describe(immutable: false) : field.Describe();
            return result;
        }

        /// <param name="withLinks">crm.item.get: the link lists too (contactIds), which crm.&lt;entity&gt;.get leaves out.</param>
        public JToken Get(JObject p, bool withLinks = false)
        {
            var id = RequireId(p);
            if (!_records.TryGetValue(id, out var record)) throw PortalError.Method("Not found");
            if (Forbidden.Contains(id)) throw PortalError.Method("Access denied.");
            return Present(record, null, withLinks);
        }

        public JToken Update(JObject p)
        {
            var id = RequireId(p);
            if (!_records.TryGetValue(id, out var record)) throw PortalError.Method(Entity.Title + " is not found");
            if (Forbidden.Contains(id)) throw PortalError.Method("Access denied.");
            Apply(record, p["fields"] as JObject ?? new JObject(), moving: false);
            record["DATE_MODIFY"] = Stamp(_now());
            record["MODIFY_BY_ID"] = UserId.ToString(CultureInfo.InvariantCulture);
            return true;
        }

        /// <summary>crm.item.update's move to another pipeline: the pipeline, and the stage given with it
        /// or else the new pipeline's first stage.</summary>
        public void Move(int id, JObject fields)
        {
            if (!_records.TryGetValue(id, out var record)) return;
            var category = ToInt((string)fields[Entity.PipelineField]) ?? 0;
            record[Entity.PipelineField] = category.ToString(CultureInfo.InvariantCulture);
            var stage = (string)fields[Entity.StageField];
            if (string.IsNullOrEmpty(stage) || Entity.PipelineOfStage(stage) != category) stage = Entity.FirstStage(category);
            record[Entity.StageField] = stage;
            if (Entity.StageSemantics != null) record["STAGE_SEMANTIC_ID"] = Entity.StageSemantics(stage);
            Stamped(record);
        }

        public JToken Delete(JObject p)
        {
            var id = RequireId(p);
            if (!_records.ContainsKey(id)) throw PortalError.Method("Not found");
            if (Forbidden.Contains(id)) throw PortalError.Method("Access denied.");
            _records.Remove(id);
            _ids.Remove(id);
            return true;
        }

        /// <summary>crm.&lt;entity&gt;.&lt;other&gt;.items.get: [{CONTACT_ID, SORT, ROLE_ID, IS_PRIMARY}] (or COMPANY_ID).</summary>
        public JToken LinkItems(JObject p, EmulatedLink link)
        {
            var id = RequireId(p);
            if (!_records.TryGetValue(id, out var record)) throw PortalError.Method("Not found");
            var ids = (record[link.ListField] as JArray ?? new JArray()).Select(c => c.ToString()).ToList();
            var primary = link.PrimaryField == null ? ids.FirstOrDefault() : (string)record[link.PrimaryField];
            if (link.PrimaryField != null && link.PrimaryField.StartsWith("_", StringComparison.Ordinal) && !ids.Contains(primary ?? "")) primary = ids.FirstOrDefault();
            return new JArray(ids.Select((c, i) => new JObject
            {
                [link.IdKey] = int.Parse(c, CultureInfo.InvariantCulture), ["SORT"] = (i + 1) * 10, ["ROLE_ID"] = 0, ["IS_PRIMARY"] = c == primary ? "Y" : "N",
            }));
        }

        /// <summary>crm.&lt;entity&gt;.&lt;other&gt;.items.set: replaces the linked records.</summary>
        public JToken SetLinkItems(JObject p, EmulatedLink link)
        {
            var id = RequireId(p);
            if (!_records.TryGetValue(id, out var record)) throw PortalError.Method("Not found");
            if (Forbidden.Contains(id)) throw PortalError.Method("Access denied.");
            var items = (p["items"] as JArray ?? new JArray()).OfType<JObject>()
                        .Select(i => new { Id = ToInt((string)i[link.IdKey]), Sort = ToInt((string)i["SORT"]) ?? 0, Primary = (string)i["IS_PRIMARY"] == "Y" })
                        .Where(i => i.Id > 0).OrderBy(i => i.Sort).ToList();
            record[link.ListField] = new JArray(items.Select(i => i.Id.Value.ToString(CultureInfo.InvariantCulture)));
            var primary = items.FirstOrDefault(i => i.Primary) ?? items.FirstOrDefault();
            if (link.PrimaryField != null) record[link.PrimaryField] = primary == null ? null : primary.Id.Value.ToString(CultureInfo.InvariantCulture);
            return true;
        }

        /// <summary>crm.deal.productrows.get: the rows as set, each with its ID and OWNER_ID.</summary>
        public JToken ProductRows(JObject p)
        {
            var id = RequireId(p);
            if (!_records.ContainsKey(id)) throw PortalError.Method("Not found");
            return _productRows.TryGetValue(id, out var rows) ? rows.DeepClone() : new JArray();
        }

        /// <summary>crm.deal.productrows.set: the rows replace the old ones (an empty list removes them all).</summary>
        public JToken SetProductRows(JObject p)
        {
            var id = RequireId(p);
            if (!_records.TryGetValue(id, out var deal)) throw PortalError.Method("Not found");
            if (Forbidden.Contains(id)) throw PortalError.Method("Access denied.");
            var given = p["rows"] as JArray ?? (p["rows"] is JObject keyed ? new JArray(keyed.Properties().Select(r => r.Value)) : new JArray());
            var rows = new JArray();
            var total = 0m;
            var sort = 0;
            foreach (var row in given.OfType<JObject>())
            {
                decimal Number(string key, decimal fallback) =>
                    decimal.TryParse((string)row[key], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : fallback;
                var price = Number("PRICE", 0m);
                var quantity = Number("QUANTITY", 1m);
                var discount = Number("DISCOUNT_SUM", 0m);
                total += price * quantity;
                sort += 10;
                var rowId = _nextValueId();
                var productId = ToInt((string)row["PRODUCT_ID"]) ?? 0;
                var name = (string)row["PRODUCT_NAME"] ?? "";
                // Keys and value types as crm/deals/crm-deal-productrows-get.md's example: ID, OWNER_ID as strings, numbers as
                // numbers, PRICE_ACCOUNT as text; keys the set method does not take (CUSTOMIZED, XML_ID …) filled in by the portal.
                rows.Add(new JObject
                {
                    ["ID"] = rowId.ToString(CultureInfo.InvariantCulture), ["OWNER_ID"] = id.ToString(CultureInfo.InvariantCulture), ["OWNER_TYPE"] = "D",
                    ["PRODUCT_ID"] = productId, ["PRODUCT_NAME"] = name, ["ORIGINAL_PRODUCT_NAME"] = name, ["PRODUCT_DESCRIPTION"] = null,
                    ["PRICE"] = price, ["PRICE_EXCLUSIVE"] = Number("PRICE_EXCLUSIVE", price), ["PRICE_NETTO"] = Number("PRICE_NETTO", price + discount),
                    ["PRICE_BRUTTO"] = Number("PRICE_BRUTTO", price + discount), ["PRICE_ACCOUNT"] = price.ToString("0.00", CultureInfo.InvariantCulture),
                    ["QUANTITY"] = quantity, ["DISCOUNT_TYPE_ID"] = (int)Number("DISCOUNT_TYPE_ID", 2m), ["DISCOUNT_RATE"] = Number("DISCOUNT_RATE", 0m),
                    ["DISCOUNT_SUM"] = discount, ["TAX_RATE"] = row["TAX_RATE"] == null ? null : (JToken)Number("TAX_RATE", 0m),
                    ["TAX_INCLUDED"] = (string)row["TAX_INCLUDED"] ?? "N", ["CUSTOMIZED"] = "Y",
                    ["MEASURE_CODE"] = (int)Number("MEASURE_CODE", 796m), ["MEASURE_NAME"] = (string)row["MEASURE_NAME"] ?? "pcs",
                    ["SORT"] = (int)Number("SORT", sort), ["XML_ID"] = "sale_basket_" + rowId.ToString(CultureInfo.InvariantCulture), ["TYPE"] = 1,
                    ["STORE_ID"] = 0, ["RESERVE_ID"] = null, ["DATE_RESERVE_END"] = null, ["RESERVE_QUANTITY"] = 0,
                });
            }
            _productRows[id] = rows;
            if ((string)deal["IS_MANUAL_OPPORTUNITY"] != "Y") deal["OPPORTUNITY"] = total.ToString("0.00", CultureInfo.InvariantCulture);
            return true;
        }

        public JToken Add(JObject p)
        {
            var id = Create(p["fields"] as JObject ?? new JObject());
            return id;
        }

        /// <summary>crm.record.list: filter, select, order, start (offset rounded down to 50; -1: no count).</summary>
        public (JToken result, int? total, int? next) List(JObject p, bool withLinks = false)
        {
            var filter = p["filter"] as JObject ?? new JObject();
            var order = p["order"] as JObject;
            var select = SelectList(p["select"]);
            var startToken = p["start"];
            var start = startToken == null ? 0 : ToInt(startToken.ToString()) ?? 0;
            var countTotal = start >= 0;
            if (start < 0) start = 0;
            start -= start % PageSize;

            IEnumerable<JObject> rows = CandidatesByIdBound(filter).Where(l => Matches(l, filter));
            rows = Sort(rows, order);
            if (!countTotal)   // start=-1: nothing is counted, the page is all the work
                return (new JArray(rows.Take(PageSize).Select(l => Present(l, select, withLinks))), null, null);
            var matched = rows.ToList();
            var page = matched.Skip(start).Take(PageSize).Select(l => Present(l, select, withLinks)).ToList();
            int? next = start + PageSize < matched.Count ? start + PageSize : (int?)null;
            return (new JArray(page), matched.Count, next);
        }

        /// <summary>Records from the first one a <c>&gt;ID</c> / <c>&gt;=ID</c> filter allows, found by binary
        /// search (the real portal uses the primary key index for this; a scan would make cursor paging
        /// of large sets quadratic here).</summary>
        private IEnumerable<JObject> CandidatesByIdBound(JObject filter)
        {
            var lowest = 0;
            foreach (var condition in filter.Properties())
            {
                var (op, name) = SplitOperator(condition.Name);
                if (!name.Equals("ID", StringComparison.OrdinalIgnoreCase) || !(ToInt(condition.Value.ToString()) is int bound)) continue;
                if (op == ">") lowest = Math.Max(lowest, bound + 1);
                if (op == ">=") lowest = Math.Max(lowest, bound);
            }
            var index = _ids.BinarySearch(lowest);
            if (index < 0) index = ~index;
            for (var i = index; i < _ids.Count; i++)
                if (_records.TryGetValue(_ids[i], out var record)) yield return record;
        }

        // ---- storage --------------------------------------------------------------------------------

        public int Create(JObject fields)
        {
            var id = _nextId++;
            var now = Stamp(_now());
            var record = new JObject();
            foreach (var field in _fields.Values.Where(f => !f.IsMultiField))
                record[field.Name] = field.IsList ? new JArray() : null;
            record["ID"] = id.ToString(CultureInfo.InvariantCulture);
            foreach (var value in Entity.Defaults.Properties()) record[value.Name] = value.Value.DeepClone();
            record["ASSIGNED_BY_ID"] = UserId.ToString(CultureInfo.InvariantCulture);
            record["CREATED_BY_ID"] = UserId.ToString(CultureInfo.InvariantCulture);
            record["MODIFY_BY_ID"] = UserId.ToString(CultureInfo.InvariantCulture);
            record["DATE_CREATE"] = now;
            record["DATE_MODIFY"] = now;
            Keep(record, "LAST_ACTIVITY_TIME", now);
            Keep(record, "LAST_ACTIVITY_BY", UserId.ToString(CultureInfo.InvariantCulture));
            Stamped(record);
            _records[id] = record;
            _ids.Add(id);
            Apply(record, fields, moving: true);
            return id;
        }

        /// <summary>Moves the id counter so the next record gets <paramref name="id"/> (for demo data).</summary>
        public void SkipTo(int id) => _nextId = Math.Max(_nextId, id);

        /// <summary>Stores the fields the method takes; <paramref name="moving"/>: the pipeline may change (add, crm.item.update).</summary>
        public void Apply(JObject record, JObject fields, bool moving)
        {
            var addressSent = new Dictionary<string, string>();
            foreach (var property in fields.Properties())
            {
                var name = property.Name.ToUpperInvariant();
                var value = property.Value;
                if (name == "ADDRESS_DELETE")
                {
                    if (value.Type != JTokenType.Object && value.Type != JTokenType.Array && (string)value == "Y")
                        foreach (var part in Entity.AddressParts) record[part] = null;
                    continue;
                }
                if (!_fields.TryGetValue(name, out var field) || field.ReadOnly) continue;   // dropped silently
                // isImmutable: set by add, ignored by crm.<entity>.update (crm/deals/crm-deal-fields.md: a deal's CATEGORY_ID);
                // crm.item.update moves the pipeline through Move (crm/deals/crm-deal-update.md).
                if ((field.Immutable || name == Entity.PipelineField) && !moving && !Diverges(PortalDivergence.DealUpdateMovesPipeline)) continue;
                if (Array.IndexOf(Entity.AddressParts, name) >= 0)
                {
                    if (value is JValue) addressSent[name] = value.ToString();
                    continue;
                }
                if (field.IsMultiField) { ApplyMultiField(record, name, value); continue; }
                if (field.IsList)
                {
                    var ids = value as JArray ?? (value is JValue one && one.Type != JTokenType.Null && one.ToString() != "" ? new JArray(one) : new JArray());
                    record[name] = new JArray(ids.Select(i => ToInt(i.ToString())).Where(i => i > 0).Select(i => i.Value.ToString(CultureInfo.InvariantCulture)));
                    continue;
                }
                if (field.Type == "file")
                {
                    var file = field.Multiple && value is JArray many && !IsUpload(value)
                        ? new JArray(many.Select(one => StoreFile(record, name, one)).Where(f => f != null))
                        : (JToken)StoreFile(record, name, value);
                    if (file != null) record[name] = file;
                    continue;
                }
                if (field.IsCustom && field.Multiple)
                {
                    var values = value as JArray ?? new JArray(value);
                    record[name] = new JArray(values.OfType<JValue>().Select(v => new JValue(Convert.ToString(v.Value, CultureInfo.InvariantCulture))));
                    continue;
                }
                if (!(value is JValue scalar)) continue;
                var stored = Normalize(field, scalar);
                if (stored == null) continue;   // unreadable: the old value stays
                record[name] = stored;
                // crm/leads/crm-lead-add.md: IS_RETURN_CUSTOMER becomes Y when a lead is added with a company or contact.
                if (moving && Entity.Name == "lead" && (name == "COMPANY_ID" || name == "CONTACT_ID") && stored.Type == JTokenType.String && ToInt((string)stored) > 0)
                    record["IS_RETURN_CUSTOMER"] = "Y";
                if (name == Entity.StageField && Entity.StageSemantics != null) record[Entity.StageField.Replace("_ID", "_SEMANTIC_ID")] = Entity.StageSemantics((string)stored);
                if (name == Entity.StageField || name == "STATUS_ID") Stamped(record);
            }
            Keep(record, "HAS_PHONE", record["PHONE"] is JArray phones && phones.Count > 0 ? "Y" : "N");
            Keep(record, "HAS_EMAIL", record["EMAIL"] is JArray emails && emails.Count > 0 ? "Y" : "N");
            Keep(record, "HAS_IMOL", record["IM"] is JArray ims && ims.OfType<JObject>().Any(i => (string)i["VALUE_TYPE"] == "IMOL") ? "Y" : "N");

            // The core rebuilds the whole address from the parts it was sent: parts not sent become
            // empty; a set of only empty strings changes nothing.
            if (addressSent.Count > 0 && addressSent.Values.Any(v => v.Length > 0))
                foreach (var part in Entity.AddressParts)
                    record[part] = addressSent.TryGetValue(part, out var text) && text.Length > 0 ? text : null;
        }

        /// <summary>Sets a field the portal maintains, when the entity has it.</summary>
        private void Keep(JObject record, string field, string value)
        {
            if (_fields.ContainsKey(field)) record[field] = value;
        }

        /// <summary>MOVED_BY_ID and MOVED_TIME: who put the record at its stage, and when.</summary>
        private void Stamped(JObject record)
        {
            Keep(record, "MOVED_BY_ID", UserId.ToString(CultureInfo.InvariantCulture));
            Keep(record, "MOVED_TIME", Stamp(_now()));
        }

        private JToken Normalize(EmulatedField field, JValue value)
        {
            var text = value.Type == JTokenType.Null ? "" : Convert.ToString(value.Value, CultureInfo.InvariantCulture);
            switch (field.Type)
            {
                case "integer":
                case "user":
                case "crm_company":
                case "crm_contact":
                case "crm_entity":
                case "crm_category":
                    if (text.Length == 0) return JValue.CreateNull();
                    return ToInt(text) is int number ? new JValue(number.ToString(CultureInfo.InvariantCulture)) : null;
                case "double":
                    if (text.Length == 0) return new JValue(field.IsCustom ? "" : "0.00");
                    // Money fields (OPPORTUNITY) come back with two decimals; custom doubles as written.
                    return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
                        ? new JValue(field.IsCustom ? amount.ToString(CultureInfo.InvariantCulture) : amount.ToString("0.00", CultureInfo.InvariantCulture)) : null;
                case "char":
                    var yn = text.ToUpperInvariant();
                    return yn == "Y" || yn == "N" ? new JValue(yn) : null;
                case "boolean":
                    var flag = text.ToUpperInvariant();
                    return flag == "1" || flag == "Y" ? new JValue("1") : flag == "0" || flag == "N" || flag.Length == 0 ? new JValue("0") : null;
                case "enumeration":
                    if (text.Length == 0) return JValue.CreateNull();
                    return ToInt(text) is int item && item >= 1 && item <= (field.Items?.Length ?? 0) ? new JValue(text) : null;
                case "date":
                    if (text.Length == 0) return JValue.CreateNull();
                    return ParseDate(text) is DateTime date ? new JValue(Stamp(new DateTimeOffset(date.Date, Offset))) : null;
                default:
                    return new JValue(text);
            }
        }

        /// <summary>The portal's files (shared by its stores): id → name and content, served at each file's downloadUrl.</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<int, (string Name, byte[] Content)> Files { get; set; } =
            new System.Collections.Concurrent.ConcurrentDictionary<int, (string, byte[])>();

        private static bool IsUpload(JToken value) =>
            value is JObject o && o["fileData"] is JArray || value is JArray a && a.Count == 2 && a.All(v => v.Type == JTokenType.String);

        /// <summary>A new file: {fileData: [name, base64]} (crm.&lt;entity&gt;.add/update) or [name, base64] (crm.item.*)
        /// (files/how-to-upload-files.md). Stored, it reads as {id, showUrl, downloadUrl}: the shape the docs do not show
        /// (crm/contacts/crm-contact-get.md has PHOTO: null), taken from ../shared/bitrix24-rest.md. Anything else: null (ignored).</summary>
        private JObject StoreFile(JObject record, string field, JToken value)
        {
            var data = value is JObject o ? o["fileData"] as JArray : value as JArray;
            if (data == null || data.Count != 2) return null;
            byte[] content;
            try { content = Convert.FromBase64String((string)data[1] ?? ""); }
            catch (FormatException) { return null; }
            if (content.Length == 0) throw PortalError.Method("The file is empty.");
            var id = _nextValueId();
            Files[id] = ((string)data[0] ?? "file", content);
            var show = $"/bitrix/components/bitrix/crm.{Entity.Name}.show/show_file.php?ownerId={record["ID"]}&fieldName={field}&fileId={id}";
            return new JObject { ["id"] = id, ["showUrl"] = show, ["downloadUrl"] = show + "&download=y" };
        }

        private void ApplyMultiField(JObject record, string name, JToken value)
        {
            // A plain string is not a list of entries: the server ignores it.
            var entries = value as JArray ?? (value is JObject single ? new JArray(single) : null);
            if (entries == null) return;
            var current = record[name] as JArray ?? new JArray();
            foreach (var entry in entries.OfType<JObject>())
            {
                var id = ToInt((string)entry["ID"] ?? "");
                var text = entry["VALUE"]?.Type == JTokenType.Null ? "" : (string)entry["VALUE"] ?? "";
                var type = (string)entry["VALUE_TYPE"];
                if (id == null)
                {
                    if (text.Length == 0) continue;
                    current.Add(new JObject
                    {
                        ["ID"] = _nextValueId().ToString(CultureInfo.InvariantCulture),
                        ["VALUE_TYPE"] = string.IsNullOrEmpty(type) ? "WORK" : type,
                        ["VALUE"] = text,
                        ["TYPE_ID"] = name,
                    });
                    continue;
                }
                var existing = current.OfType<JObject>().FirstOrDefault(e => (string)e["ID"] == id.Value.ToString(CultureInfo.InvariantCulture));
                if (existing == null) continue;
                // DELETE=Y, an empty VALUE or the ID alone all delete the value.
                if ((string)entry["DELETE"] == "Y" || text.Length == 0) { existing.Remove(); continue; }
                existing["VALUE"] = text;
                if (!string.IsNullOrEmpty(type)) existing["VALUE_TYPE"] = type;
            }
            if (current.Count > 0) record[name] = current; else record.Remove(name);
        }

        // ---- reading ------------------------------------------------------------------------------

        /// <param name="withLinks">Include the link lists (CONTACT_IDS, COMPANY_IDS, a company's CONTACT_ID): crm.item
        /// returns them; crm.deal.get/list and crm.contact.get/list do not (crm/deals/crm-deal-get.md, crm-deal-list.md,
        /// crm/contacts/crm-contact-fields.md), nor do the lead and company pages' example answers.</param>
        private JObject Present(JObject record, ICollection<string> select, bool withLinks)
        {
            var result = new JObject();
            foreach (var field in _fields.Values)
            {
                if (field.IsList && !withLinks) continue;
                var wanted = select == null   // the get method: everything
                    || select.Contains(field.Name) || (select.Contains("*") && !field.Name.StartsWith("UF_") && !field.IsMultiField)
                      || (select.Contains("UF_*") && field.Name.StartsWith("UF_"));
                if (!wanted) continue;
                if (field.IsMultiField)
                {
                    // The get method leaves the key out when the record has no values of the kind.
                    if (record[field.Name] is JArray values && values.Count > 0) result[field.Name] = values.DeepClone();
                    continue;
                }
                result[field.Name] = record[field.Name]?.DeepClone() ?? JValue.CreateNull();
            }
            if (!result.ContainsKey("ID")) result.AddFirst(new JProperty("ID", record["ID"]));
            return result;
        }

        private static ICollection<string> SelectList(JToken select)
        {
            var names = select is JArray list ? list.Select(s => s.ToString().ToUpperInvariant()).ToList()
                      : select is JObject map ? map.Properties().Select(p => p.Value.ToString().ToUpperInvariant()).ToList()
                      : null;
            if (names == null || names.Count == 0) return new HashSet<string> { "*" };
            return new HashSet<string>(names);
        }

        private bool Matches(JObject record, JObject filter)
        {
            foreach (var condition in filter.Properties())
            {
                var (op, name) = SplitOperator(condition.Name);
                name = name.ToUpperInvariant();
                var stored = record[name];
                var candidates = stored is JArray values
                    ? values.Select(v => v is JObject o ? (string)o["VALUE"] : v.ToString()).ToList()
                    : new List<string> { stored == null || stored.Type == JTokenType.Null ? "" : stored.ToString() };
                var wanted = condition.Value is JArray many ? many.Select(v => v.ToString()).ToList() : new List<string> { condition.Value.ToString() };
                if (!candidates.Any(c => Test(op, c, wanted, name))) return false;
            }
            return true;
        }

        private static readonly string[] Operators = { ">=", "<=", "!@", "!%", "=%", "%=", "!=", ">", "<", "@", "%", "=", "!" };

        private static (string op, string name) SplitOperator(string key)
        {
            foreach (var op in Operators)
                if (key.StartsWith(op, StringComparison.Ordinal)) return (op, key.Substring(op.Length));
            return ("=", key);
        }

        private bool Test(string op, string actual, List<string> wanted, string field)
        {
            var first = wanted.FirstOrDefault() ?? "";
            switch (op)
            {
                case "@": return wanted.Any(w => Compare(actual, w, field) == 0);
                case "!@": return wanted.All(w => Compare(actual, w, field) != 0);
                case "%": return actual.IndexOf(first, StringComparison.OrdinalIgnoreCase) >= 0;
                case "!%": return actual.IndexOf(first, StringComparison.OrdinalIgnoreCase) < 0;
                case "=%":
                case "%=": return Like(actual, first);
                case "!=":
                case "!": return wanted.All(w => Compare(actual, w, field) != 0);
                case ">=": return actual.Length > 0 && Compare(actual, first, field) >= 0;
                case "<=": return actual.Length > 0 && Compare(actual, first, field) <= 0;
                case ">": return actual.Length > 0 && Compare(actual, first, field) > 0;
                case "<": return actual.Length > 0 && Compare(actual, first, field) < 0;
                default: return wanted.Any(w => Compare(actual, w, field) == 0);
            }
        }

        private static bool Like(string actual, string pattern)
        {
            var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("%", ".*").Replace("_", ".") + "$";
            return System.Text.RegularExpressions.Regex.IsMatch(actual, regex, System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        }

        private int Compare(string actual, string wanted, string field)
        {
            _fields.TryGetValue(field, out var definition);
            var type = definition?.Type ?? "string";
            if ((type == "date" || type == "datetime") && ParseDate(actual) is DateTime a && ParseDate(wanted) is DateTime b)
                return a.CompareTo(b);
            if (decimal.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                && decimal.TryParse(wanted, NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
                return x.CompareTo(y);
            return string.Compare(actual, wanted, StringComparison.OrdinalIgnoreCase);
        }

        private IEnumerable<JObject> Sort(IEnumerable<JObject> rows, JObject order)
        {
            var keys = order?.Properties().ToList() ?? new List<JProperty>();
            var byIdAscending = keys.Count == 0 || keys.Count == 1 && keys[0].Name.Equals("ID", StringComparison.OrdinalIgnoreCase)
                                && !string.Equals(keys[0].Value.ToString(), "desc", StringComparison.OrdinalIgnoreCase);
            if (byIdAscending) return rows;   // stored by ID already: the primary key order
            IOrderedEnumerable<JObject> sorted = null;
            foreach (var key in order.Properties())
            {
                var name = key.Name.ToUpperInvariant();
                var descending = string.Equals(key.Value.ToString(), "desc", StringComparison.OrdinalIgnoreCase);
                var comparer = Comparer<string>.Create((l, r) => Compare(l, r, name));
                Func<JObject, string> selector = l => l[name]?.ToString() ?? "";
                sorted = sorted == null
                    ? (descending ? rows.OrderByDescending(selector, comparer) : rows.OrderBy(selector, comparer))
                    : (descending ? sorted.ThenByDescending(selector, comparer) : sorted.ThenBy(selector, comparer));
            }
            return sorted;
        }

        // ---- helpers ------------------------------------------------------------------------------

        public static readonly TimeSpan Offset = TimeSpan.FromHours(2);

        public static string Stamp(DateTimeOffset moment) =>
            moment.ToOffset(Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

        private static int RequireId(JObject p)
        {
            var id = ToInt(p["id"]?.ToString() ?? p["ID"]?.ToString() ?? "");
            if (id == null || id <= 0) throw PortalError.Method("ID is not defined or invalid.");
            return id.Value;
        }

        internal static int? ToInt(string text) =>
            int.TryParse(text?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : (int?)null;

        /// <summary>What PHP's date parsing would accept here: ISO dates and times, and dd.mm.yyyy.</summary>
        internal static DateTime? ParseDate(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (DateTimeOffset.TryParseExact(text, new[] { "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd", "dd.MM.yyyy", "dd.MM.yyyy HH:mm:ss" },
                                             CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                return parsed.DateTime;   // the wall-clock date and time as written
            return null;
        }
    }
}
