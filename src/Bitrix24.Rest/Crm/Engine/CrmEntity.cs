using System;
using System.Collections.Generic;
using System.Linq;

namespace Bitrix24.Rest.Crm
{
    /// <summary>A link list one entity keeps to another (a deal's contacts, a contact's companies), read
    /// and replaced with crm.&lt;entity&gt;.&lt;other&gt;.items.get|set.</summary>
    public sealed class CrmLink
    {
        internal CrmLink(string methods, string idKey, string listField, string primaryField)
        {
            Methods = methods;
            IdKey = idKey;
            ListField = listField;
            PrimaryField = primaryField;
        }

        /// <summary>crm.deal.contact.items: "get" and "set" follow.</summary>
        public string Methods { get; }
        /// <summary>The id key of an item: CONTACT_ID or COMPANY_ID.</summary>
        public string IdKey { get; }
        /// <summary>The record's own list field (CONTACT_IDS), which the crm.item route writes instead.</summary>
        public string ListField { get; }
        /// <summary>The record's primary-link field (CONTACT_ID), or null.</summary>
        public string PrimaryField { get; }
    }

    /// <summary>
    /// What one CRM entity is to the engine: its methods, its documented fields, the directories its
    /// fields take values from, its multi-fields and address parts, and its crm.item names. Everything
    /// else (validation, patches, listing, bulk) is the engine's, the same for every entity.
    /// The entities themselves are in Crm/Entities, one file each.
    /// </summary>
    public sealed partial class CrmEntity
    {
        private readonly Dictionary<string, CrmFieldDefinition> _byName = new Dictionary<string, CrmFieldDefinition>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, string> _toCamel = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, string> _toUpper = new Dictionary<string, string>(StringComparer.Ordinal);

        private CrmEntity(string name, string apiName, int entityTypeId, CrmFieldDefinition[] fields)
        {
            Name = name;
            ApiName = apiName;
            EntityTypeId = entityTypeId;
            Fields = fields;
            foreach (var field in fields)
            {
                _byName[field.ApiName] = field;
                _byName[field.ParameterName] = field;
            }
        }

        /// <summary>Lead, Deal, Contact, Company: what messages and type names call a record.</summary>
        public string Name { get; }
        /// <summary>lead, deal …: the part of the method names (crm.lead.update).</summary>
        public string ApiName { get; }
        /// <summary>The entity's type id for crm.item.* (1 lead, 2 deal, 3 contact, 4 company).</summary>
        public int EntityTypeId { get; }
        public IReadOnlyList<CrmFieldDefinition> Fields { get; }
        /// <summary>The type name of the objects the cmdlets write (Bitrix24.Deal; Bitrix24.Item.1032 for a smart process).</summary>
        public string TypeName => IsSmartProcess ? ItemTypeName + "." + EntityTypeId.ToString(System.Globalization.CultureInfo.InvariantCulture) : "Bitrix24." + Name;
        /// <summary>The type name every smart-process object carries under its own (the views are for it).</summary>
        public const string ItemTypeName = "Bitrix24.Item";
        /// <summary>A smart process (crm.type.list), built from the portal's crm.item.fields: reached only through
        /// crm.item.*, and its objects show the portal's camelCase names.</summary>
        public bool IsSmartProcess { get; private set; }
        /// <summary>The multi-fields (PHONE, EMAIL, WEB, IM, LINK); none for deals.</summary>
        public IReadOnlyList<string> MultiFieldNames { get; private set; } = new string[0];
        /// <summary>The address parts the docs ask to send as a complete set; none where the address is kept elsewhere.</summary>
        public IReadOnlyList<string> AddressPartNames { get; private set; } = new string[0];
        /// <summary>Directory fields: API name → crm.status.list ENTITY_ID (CURRENCY for currencies).</summary>
        public IReadOnlyDictionary<string, string> Directories { get; private set; } = new Dictionary<string, string>();
        /// <summary>The field whose directory depends on the record's pipeline (deal STAGE_ID), or null.</summary>
        public string StageField { get; private set; }
        /// <summary>The pipeline field (deal CATEGORY_ID), or null: crm.&lt;entity&gt;.update does not move a record.</summary>
        public string PipelineField { get; private set; }
        /// <summary>params.REGISTER_HISTORY_EVENT is documented for the update method.</summary>
        public bool HasHistoryEvent { get; private set; }
        /// <summary>The links the entity keeps (contacts, companies), by the other entity's name.</summary>
        public IReadOnlyDictionary<string, CrmLink> Links { get; private set; } = new Dictionary<string, CrmLink>();
        /// <summary>Fields with no crm.item counterpart (a lead's address): refused on that route instead of lost.</summary>
        public IReadOnlyList<string> NotOnItemRoute { get; private set; } = new string[0];

        public string Method(string verb) => "crm." + ApiName + "." + verb;

        /// <summary>The API name in the plural, for messages: leads, deals, contacts, companies.</summary>
        public string Plural => ApiName.EndsWith("y", StringComparison.Ordinal) ? ApiName.Substring(0, ApiName.Length - 1) + "ies" : ApiName + "s";

        /// <summary>What messages call one record: lead, deal …; "Contracts item" for a smart process.</summary>
        public string RecordNoun => IsSmartProcess ? Name + " item" : ApiName;

        public static IReadOnlyList<CrmEntity> All => new[] { Lead, Deal, Contact, Company };

        /// <summary>The entity named <paramref name="name"/> (Lead, deal …), or null.</summary>
        public static CrmEntity Named(string name) =>
            All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(e.ApiName, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>The same entity: the same object, or the same smart process read again.</summary>
        public bool IsSame(CrmEntity other) =>
            ReferenceEquals(this, other) || other != null && IsSmartProcess && other.IsSmartProcess && EntityTypeId == other.EntityTypeId;

        /// <summary>Finds a field by its API name or its parameter name, ignoring case.</summary>
        public CrmFieldDefinition Find(string name) => name != null && _byName.TryGetValue(name, out var field) ? field : null;

        public bool IsMultiField(string apiName) => MultiFieldNames.Contains(apiName);
        public bool IsAddressPart(string apiName) => AddressPartNames.Contains(apiName);

        /// <summary>The crm.status.list ENTITY_ID of a directory field, or null.</summary>
        public string DirectoryOf(string apiName) => apiName != null && Directories.TryGetValue(apiName, out var directory) ? directory : null;

        /// <summary>The stage directory of pipeline <paramref name="categoryId"/> (DEAL_STAGE, DEAL_STAGE_1;
        /// DYNAMIC_1032_STAGE_8 for a smart process, whose pipelines all have their own id).</summary>
        public string StageDirectory(int categoryId) =>
            IsSmartProcess ? $"DYNAMIC_{EntityTypeId}_STAGE_{categoryId}"
            : categoryId == 0 ? Name.ToUpperInvariant() + "_STAGE" : Name.ToUpperInvariant() + "_STAGE_" + categoryId;

        /// <summary>Up to two writable field names closest to <paramref name="name"/>.</summary>
        public IList<string> ClosestNames(string name, IEnumerable<string> extraNames = null)
        {
            var candidates = Fields.Where(f => !f.IsReadOnly).Select(f => DisplayName(f.ApiName));
            return CrmFieldCatalog.ClosestNames(name, extraNames == null ? candidates : candidates.Concat(extraNames.Select(DisplayName)));
        }

        /// <summary>The crm.item name of a field (TITLE → title), or null when the item route has none.</summary>
        public string CamelName(string upper)
        {
            if (upper == null || NotOnItemRoute.Contains(upper) || MultiFieldNames.Contains(upper)) return null;
            if (ItemNameMaps.ToCamel.TryGetValue(upper, out var camel)) return camel;
            return upper.StartsWith("UF_", StringComparison.OrdinalIgnoreCase) ? upper : Camelize(upper);
        }

        /// <summary>The API name of a crm.item field (title → TITLE), or null when the entity has no such field.</summary>
        public string UpperName(string camel)
        {
            if (camel == null) return null;
            if (ItemNameMaps.ToUpper.TryGetValue(camel, out var upper)) return upper;
            if (camel.StartsWith("UF_", StringComparison.OrdinalIgnoreCase)) return camel;
            if (camel.StartsWith("parentId", StringComparison.Ordinal) && camel.Length > 8 && camel.Skip(8).All(char.IsDigit)) return "PARENT_ID_" + camel.Substring(8);
            return null;
        }

        /// <summary>The name a user sees and types for a field: the API name, or for a smart process the
        /// portal's camelCase name (TITLE → title, UF_CRM_5_AMOUNT → ufCrm5_Amount).</summary>
        public string DisplayName(string apiName) =>
            !IsSmartProcess || apiName == null || ItemNameMaps.ToUpper.ContainsKey(apiName) ? apiName : CamelName(apiName) ?? apiName;

        /// <summary>The API name of a field named as a user may name it (API name, parameter name, or a smart
        /// process's camelCase name, in any case); the name itself when the entity has no such field.</summary>
        public string ApiNameOf(string name)
        {
            if (name == null) return null;
            var known = Find(name);
            if (known != null) return known.ApiName;
            return _byItemName != null && _byItemName.TryGetValue(name, out var upper) ? upper : name;
        }

        // A smart process's camelCase names of every field, custom ones included, in any case.
        private Dictionary<string, string> _byItemName;

        private static string Camelize(string upper)
        {
            var parts = upper.ToLowerInvariant().Split('_');
            return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p.Substring(1)));
        }

        private sealed class NameMaps
        {
            public Dictionary<string, string> ToCamel;
            public Dictionary<string, string> ToUpper;
        }

        private NameMaps _itemNameMaps;

        /// <summary>Every field's crm.item name both ways, made on first use (rows of a list are read field by
        /// field), after the entity file has named its exceptions.</summary>
        private NameMaps ItemNameMaps
        {
            get
            {
                if (_itemNameMaps != null) return _itemNameMaps;
                var maps = new NameMaps
                {
                    ToCamel = new Dictionary<string, string>(_toCamel, StringComparer.OrdinalIgnoreCase),
                    ToUpper = new Dictionary<string, string>(_toUpper, StringComparer.Ordinal),
                };
                foreach (var definition in Fields)
                {
                    if (maps.ToCamel.ContainsKey(definition.ApiName)) continue;
                    var camel = Camelize(definition.ApiName);
                    maps.ToCamel[definition.ApiName] = camel;
                    if (!maps.ToUpper.ContainsKey(camel)) maps.ToUpper[camel] = definition.ApiName;
                }
                return _itemNameMaps = maps;   // two threads may both build it: the same maps either way
            }
        }

        /// <summary>Names that crm.item spells other than by camel-casing the API name.</summary>
        private void ItemNames(params (string Upper, string Camel)[] names)
        {
            foreach (var (upper, camel) in names)
            {
                _toCamel[upper] = camel;
                _toUpper[camel] = upper;
            }
        }

        private static readonly (string, string)[] CommonItemNames =
        {
            ("CREATED_BY_ID", "createdBy"), ("MODIFY_BY_ID", "updatedBy"), ("DATE_CREATE", "createdTime"), ("DATE_MODIFY", "updatedTime"),
            ("MOVED_BY_ID", "movedBy"),
        };

        private static readonly string[] StandardMultiFields = { "PHONE", "EMAIL", "WEB", "IM", "LINK" };

        private static readonly string[] StandardAddress =
        {
            "ADDRESS", "ADDRESS_2", "ADDRESS_CITY", "ADDRESS_POSTAL_CODE", "ADDRESS_REGION",
            "ADDRESS_PROVINCE", "ADDRESS_COUNTRY", "ADDRESS_COUNTRY_CODE",
        };

        private static IReadOnlyDictionary<string, string> Map(params (string Field, string Directory)[] pairs) =>
            pairs.ToDictionary(p => p.Field, p => p.Directory, StringComparer.OrdinalIgnoreCase);

        private static IReadOnlyDictionary<string, CrmLink> LinkTo(string other, CrmLink link) =>
            new Dictionary<string, CrmLink>(StringComparer.OrdinalIgnoreCase) { [other] = link };

        private static CrmFieldDefinition F(string apiName, string parameterName, CrmFieldType type) => new CrmFieldDefinition(apiName, parameterName, type);
        private static CrmFieldDefinition ReadOnly(string apiName, string parameterName, CrmFieldType type, string reason = null) =>
            new CrmFieldDefinition(apiName, parameterName, type, readOnly: true, readOnlyReason: reason);

        private static CrmFieldDefinition[] MultiFieldDefinitions() =>
            StandardMultiFields.Select(m => F(m, m.Substring(0, 1) + m.Substring(1).ToLowerInvariant(), CrmFieldType.MultiField)).ToArray();

        private static CrmFieldDefinition[] AddressDefinitions() =>
            StandardAddress.Select(a => F(a, string.Concat(a.Split('_').Select(p => p.Substring(0, 1) + p.Substring(1).ToLowerInvariant())), CrmFieldType.String)).ToArray();

        private static CrmFieldDefinition[] UtmDefinitions() => new[]
        {
            F("UTM_SOURCE", "UtmSource", CrmFieldType.String), F("UTM_MEDIUM", "UtmMedium", CrmFieldType.String),
            F("UTM_CAMPAIGN", "UtmCampaign", CrmFieldType.String), F("UTM_CONTENT", "UtmContent", CrmFieldType.String),
            F("UTM_TERM", "UtmTerm", CrmFieldType.String),
        };

        /// <summary>Fields every entity has, maintained by the portal.</summary>
        private static CrmFieldDefinition[] SystemDefinitions() => new[]
        {
            ReadOnly("CREATED_BY_ID", "CreatedById", CrmFieldType.User), ReadOnly("MODIFY_BY_ID", "ModifyById", CrmFieldType.User),
            ReadOnly("DATE_CREATE", "DateCreate", CrmFieldType.DateTime), ReadOnly("DATE_MODIFY", "DateModify", CrmFieldType.DateTime),
            ReadOnly("LAST_ACTIVITY_TIME", "LastActivityTime", CrmFieldType.DateTime), ReadOnly("LAST_ACTIVITY_BY", "LastActivityBy", CrmFieldType.User),
        };
    }
}
