using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm
{
    /// <summary>What to list: the list method's filter, select and order, plus how many to skip and take.</summary>
    public sealed class CrmListQuery
    {
        public CrmListQuery(CrmEntity entity)
        {
            Entity = entity;
            Select = DefaultSelect(entity).ToList();
        }

        /// <summary>What the get method returns: all standard fields (a record read for editing must carry the
        /// fields one edits, or "append to COMMENTS" would overwrite comments it never read), the custom
        /// fields, and the multi-fields, which "*" leaves out. A listed record then looks like one read by id.</summary>
        // crm.item.list's * is every field, custom ones included; the classic lists need UF_* for those.
        public static IReadOnlyList<string> DefaultSelect(CrmEntity entity) =>
            (entity.IsSmartProcess ? new[] { "*" } : new[] { "*", "UF_*" }).Concat(entity.MultiFieldNames).ToList();

        public CrmEntity Entity { get; }
        public JObject Filter { get; set; } = new JObject();
        public IList<string> Select { get; set; }
        /// <summary>Field → "ASC"/"DESC". Empty: by ID ascending, which allows the fast ID cursor.</summary>
        public JObject Order { get; set; } = new JObject();
        public int Skip { get; set; }
        /// <summary>At most this many records; null: all.</summary>
        public long? First { get; set; }

        /// <summary>True when the order is by ID ascending (or not given): the ID cursor works.</summary>
        internal bool OrderedById
        {
            get
            {
                var keys = Order.Properties().ToList();
                return keys.Count == 0 || keys.Count == 1 && keys[0].Name.Equals("ID", StringComparison.OrdinalIgnoreCase)
                       && string.Equals((string)keys[0].Value, "ASC", StringComparison.OrdinalIgnoreCase);
            }
        }

        internal JArray SelectWithId()
        {
            var names = Select.Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
            if (!names.Contains("*") && !names.Any(n => n.Equals("ID", StringComparison.OrdinalIgnoreCase))) names.Insert(0, "ID");
            return new JArray(names);
        }
    }
}
