using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Tests.Infrastructure
{
    /// <summary>
    /// Reads what a client sent to crm.item.update/add by the docs, not by the emulator: the camelCase names that
    /// api-reference/crm/universal/object-fields.md lists per entity (typed in here), UF_ names as useOriginalUfNames=Y
    /// keeps them, and fm as the tutorial tutorials/crm/how-to-edit-crm-objects/how-to-change-email-or-phone.md
    /// describes it. A name the page does not list, or an fm element without typeId, fails the test.
    /// </summary>
    public static class DocumentedItemFields
    {
        private static readonly string[] Common =
        {
            "assignedById", "createdBy", "createdTime", "entityTypeId", "id", "lastActivityBy", "lastActivityTime", "opened",
            "updatedBy", "updatedTime", "utmCampaign", "utmContent", "utmMedium", "utmSource", "utmTerm", "webformId",
        };

        private static readonly Dictionary<int, string[]> Own = new Dictionary<int, string[]>
        {
            [1] = new[]
            {
                "companyId", "contactId", "stageId", "isConvert", "statusDescription", "stageSemanticId", "opportunity", "currencyId",
                "sourceId", "sourceDescription", "title", "name", "lastName", "secondName", "companyTitle", "post", "comments",
                "originatorId", "originId", "dateClosed", "birthdate", "honorific", "isReturnCustomer", "isManualOpportunity",
                "movedBy", "movedTime", "observers", "contactIds", "fm",
            },
            [2] = new[]
            {
                "leadId", "companyId", "contactId", "quoteId", "title", "categoryId", "stageId", "stageSemanticId", "isNew",
                "isRecurring", "isReturnCustomer", "isRepeatedApproach", "closed", "typeId", "opportunity", "isManualOpportunity",
                "taxValue", "currencyId", "probability", "comments", "begindate", "closedate", "locationId", "sourceId",
                "sourceDescription", "originatorId", "originId", "additionalInfo", "movedBy", "movedTime", "observers", "contactIds",
            },
            [3] = new[]
            {
                "companyId", "sourceId", "sourceDescription", "name", "lastName", "secondName", "photo", "post", "comments", "leadId",
                "export", "typeId", "originatorId", "originId", "originVersion", "birthdate", "honorific", "categoryId", "observers",
                "companyIds", "fm",
            },
            [4] = new[]
            {
                "title", "logo", "comments", "typeId", "industry", "revenue", "currencyId", "employees", "leadId", "originatorId",
                "originId", "originVersion", "isMyCompany", "categoryId", "observers", "contactIds", "fm",
            },
        };

        // Names whose classic counterpart is not the camelCase name in capitals (object-fields.md and the classic field pages).
        private static readonly Dictionary<(int, string), string> Renamed = new Dictionary<(int, string), string>
        {
            [(0, "createdBy")] = "CREATED_BY_ID", [(0, "updatedBy")] = "MODIFY_BY_ID", [(0, "createdTime")] = "DATE_CREATE",
            [(0, "updatedTime")] = "DATE_MODIFY", [(0, "movedBy")] = "MOVED_BY_ID",
            [(1, "stageId")] = "STATUS_ID", [(1, "stageSemanticId")] = "STATUS_SEMANTIC_ID",
            [(4, "typeId")] = "COMPANY_TYPE", [(4, "contactIds")] = "CONTACT_ID",
        };

        /// <summary>Item fields as the classic fields they stand for; fails on anything the docs do not name.</summary>
        public static JObject AsClassic(int entityTypeId, JObject fields)
        {
            var result = new JObject();
            foreach (var property in fields?.Properties() ?? Enumerable.Empty<JProperty>())
            {
                var name = property.Name;
                if (name == "fm") { AddMultiFields(result, property.Value); continue; }
                if (name.StartsWith("UF_", StringComparison.Ordinal)) { result[name] = property.Value.DeepClone(); continue; }
                var parent = Regex.Match(name, @"^parentId(\d+)$");
                if (parent.Success) { result["PARENT_ID_" + parent.Groups[1].Value] = property.Value.DeepClone(); continue; }
                if (!Common.Contains(name) && !Own[entityTypeId].Contains(name))
                    throw new InvalidOperationException($"crm.item (entityTypeId {entityTypeId}) was sent '{name}', which universal/object-fields.md does not list.");
                var upper = Renamed.TryGetValue((entityTypeId, name), out var special) || Renamed.TryGetValue((0, name), out special)
                    ? special : Regex.Replace(name, "([a-z0-9])([A-Z])", "$1_$2").ToUpperInvariant();
                result[upper] = property.Value.DeepClone();
            }
            return result;
        }

        /// <summary>fm in its update form: an object whose "n0" keys add, an entry id with a value changes it, with an
        /// empty value deletes it; typeId in every element. (An array, the add form, only adds.)</summary>
        private static void AddMultiFields(JObject result, JToken fm)
        {
            var elements = fm is JObject keyed ? keyed.Properties().Select(p => (Key: p.Name, Value: p.Value))
                         : ((JArray)fm).Select((e, i) => (Key: "n" + i, Value: e));
            foreach (var (key, value) in elements)
            {
                var element = (JObject)value;
                var type = (string)element["typeId"] ?? throw new InvalidOperationException($"fm element '{key}' has no typeId: the portal would do nothing.");
                if (!(result[type] is JArray list)) { list = new JArray(); result[type] = list; }
                var text = (string)element["value"] ?? "";
                if (Regex.IsMatch(key, @"^n\d+$")) list.Add(new JObject { ["VALUE"] = text, ["VALUE_TYPE"] = element["valueType"] });
                else if (!Regex.IsMatch(key, @"^\d+$")) throw new InvalidOperationException($"fm key '{key}' is neither nN nor an entry id.");
                else if (text.Length == 0) list.Add(new JObject { ["ID"] = key, ["DELETE"] = "Y" });
                else list.Add(new JObject { ["ID"] = key, ["VALUE"] = text, ["VALUE_TYPE"] = element["valueType"] });
            }
        }
    }
}
