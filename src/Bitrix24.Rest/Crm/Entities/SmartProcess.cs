using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm
{
    /// <summary>A CRM type of the portal as crm.type.list describes it (a smart process).</summary>
    public sealed class CrmItemType
    {
        public int EntityTypeId { get; internal set; }
        public string Title { get; internal set; }
        /// <summary>The type's own id (crm.type.get); not the entityTypeId the item methods take.</summary>
        public int Id { get; internal set; }
        public string Code { get; internal set; }
        /// <summary>isCategoriesEnabled: items can be in more than one pipeline.</summary>
        public bool HasPipelines { get; internal set; }
        /// <summary>isStagesEnabled: items move through stages.</summary>
        public bool HasStages { get; internal set; }
        public override string ToString() => $"{EntityTypeId} ({Title})";

        /// <summary>The type titled <paramref name="title"/> (any case, spaces around ignored), or null.</summary>
        public static CrmItemType Titled(IEnumerable<CrmItemType> types, string title) =>
            types.FirstOrDefault(t => string.Equals(t.Title, title?.Trim(), StringComparison.OrdinalIgnoreCase));

        internal static CrmItemType Read(JObject type) => new CrmItemType
        {
            EntityTypeId = (int?)type["entityTypeId"] ?? 0,
            Title = (string)type["title"] ?? "",
            Id = (int?)type["id"] ?? 0,
            Code = (string)type["code"] ?? "",
            HasPipelines = IsYes(type["isCategoriesEnabled"]),
            HasStages = IsYes(type["isStagesEnabled"]),
        };

        private static bool IsYes(JToken flag) =>
            flag != null && (flag.Type == JTokenType.Boolean ? (bool)flag : string.Equals((string)flag, "Y", StringComparison.OrdinalIgnoreCase));
    }

    public sealed partial class CrmEntity
    {
        /// <summary>
        /// A smart process (or any CRM type) as crm.item.fields {entityTypeId} describes it: every field by
        /// its upperName, known to the user by its camelCase key. Custom fields (isDynamic) are checked
        /// against the schema as on the other entities; stages live in DYNAMIC_&lt;type&gt;_STAGE_&lt;pipeline&gt;.
        /// </summary>
        public static CrmEntity ForItemType(int entityTypeId, string title, JObject itemFields)
        {
            var definitions = new List<CrmFieldDefinition>();
            var names = new List<(string Upper, string Camel)>();
            foreach (var property in itemFields.Properties())
            {
                if (!(property.Value is JObject descriptor)) continue;
                var camel = property.Name;
                var upper = (string)descriptor["upperName"] ?? UpperOf(camel);
                names.Add((upper, camel));
                if ((bool?)descriptor["isDynamic"] == true || CrmFieldCatalog.IsCustomFieldName(upper)) continue;
                var type = ItemFieldType((string)descriptor["type"], (bool?)descriptor["isMultiple"] == true);
                definitions.Add((bool?)descriptor["isReadOnly"] == true
                    ? ReadOnly(upper, camel, type)
                    : F(upper, camel, type));
            }
            var has = new HashSet<string>(definitions.Select(d => d.ApiName), StringComparer.OrdinalIgnoreCase);
            var entity = new CrmEntity(string.IsNullOrEmpty(title) ? "Item " + entityTypeId.ToString(CultureInfo.InvariantCulture) : title, "item", entityTypeId, definitions.ToArray())
            {
                IsSmartProcess = true,
                Directories = Map(new[] { ("SOURCE_ID", "SOURCE"), ("CURRENCY_ID", "CURRENCY") }.Where(d => has.Contains(d.Item1)).ToArray()),
                StageField = has.Contains("STAGE_ID") ? "STAGE_ID" : null,
                PipelineField = has.Contains("CATEGORY_ID") ? "CATEGORY_ID" : null,
            };
            entity.ItemNames(names.ToArray());
            entity._byItemName = names.GroupBy(n => n.Camel, StringComparer.OrdinalIgnoreCase)
                                      .ToDictionary(g => g.Key, g => g.First().Upper, StringComparer.OrdinalIgnoreCase);
            return entity;
        }

        private static CrmFieldType ItemFieldType(string type, bool multiple)
        {
            switch (type)
            {
                case "string": case "text": return CrmFieldType.String;
                case "integer": case "crm_category": return CrmFieldType.Integer;
                case "double": return CrmFieldType.Double;
                case "boolean": case "char": return CrmFieldType.Char;
                case "date": return CrmFieldType.Date;
                case "datetime": return CrmFieldType.DateTime;
                case "crm_status": return CrmFieldType.Status;
                case "crm_currency": return CrmFieldType.Currency;
                case "user": return multiple ? CrmFieldType.IdList : CrmFieldType.User;
                case "crm_company": return multiple ? CrmFieldType.IdList : CrmFieldType.Company;
                case "crm_contact": return multiple ? CrmFieldType.IdList : CrmFieldType.Contact;
                default: return CrmFieldType.Other;
            }
        }

        /// <summary>TITLE from title, when a descriptor lacks upperName.</summary>
        private static string UpperOf(string camel) =>
            string.Concat(camel.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + c : char.ToUpperInvariant(c).ToString()));
    }
}
