using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Completers;
using Bitrix24.PowerShell.Objects;
using Bitrix24.Rest.Crm;
using Bitrix24.Rest.Crm.Timeline;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>
    /// A cmdlet that works on the timeline of CRM records: the records come piped (objects from Get-B24Deal,
    /// Get-B24Item …) or are named with -EntityType (or a smart process's -EntityTypeId) and -Id.
    /// </summary>
    public abstract class B24TimelineCmdlet : B24ConnectedCmdlet
    {
        protected const string ByRecordSet = "Record";
        protected const string ByIdSet = "Id";
        protected const string ByTypeIdSet = "TypeId";

        /// <summary>Records from Get-B24Lead, Get-B24Deal, Get-B24Contact, Get-B24Company or Get-B24Item.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByRecordSet)]
        public PSObject InputObject { get; set; }

        /// <summary>The kind of record -Id names (a smart process: -EntityTypeId).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateSet("Lead", "Deal", "Contact", "Company")]
        public string EntityType { get; set; }

        /// <summary>The CRM type of the records by number: 1 lead, 2 deal, 3 contact, 4 company, or a smart process's (Get-B24ItemType).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByTypeIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        [ArgumentCompleter(typeof(ItemTypeCompleter))]
        public int EntityTypeId { get; set; }

        /// <summary>The records' ids.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByTypeIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        [ArgumentCompleter(typeof(Completers.RecordIdCompleter))]
        public int[] Id { get; set; }

        /// <summary>The records this input names; a piped object that is not a CRM record is an error naming it.</summary>
        protected IEnumerable<CrmOwner> InputOwners()
        {
            if (ParameterSetName == ByRecordSet)
            {
                var owner = OwnerOf(InputObject);
                if (owner == null)
                {
                    WriteError(new ErrorRecord(new ArgumentException(
                            $"{MyInvocation.MyCommand.Name} takes CRM records (from Get-B24Lead, Get-B24Deal, Get-B24Contact, Get-B24Company, Get-B24Item), " +
                            $"rows or hashtables with EntityType (or EntityTypeId) and ID, or -EntityType and -Id; this {InputObject?.BaseObject?.GetType().Name ?? "null"} is none of them."),
                        "Bitrix24.NotARecord", ErrorCategory.InvalidArgument, InputObject));
                    yield break;
                }
                yield return owner.Value;
                yield break;
            }
            var typeId = ParameterSetName == ByTypeIdSet ? EntityTypeId : CrmEntity.Named(EntityType).EntityTypeId;
            foreach (var id in Id) yield return new CrmOwner(typeId, id);
        }

        /// <summary>The record a piped object names: a record object, or a row or hashtable with EntityType (or EntityTypeId) and ID.</summary>
        private static CrmOwner? OwnerOf(PSObject input)
        {
            int? Number(object value) =>
                int.TryParse(Convert.ToString(PSValue.Unwrap(value), CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : (int?)null;
            var entity = CrmObjects.EntityOf(input);
            if (entity != null)
                return Number(input.Properties["ID"]?.Value ?? input.Properties["id"]?.Value) is int recordId ? new CrmOwner(entity.EntityTypeId, recordId) : (CrmOwner?)null;
            if (input == null) return null;
            var table = input.BaseObject as System.Collections.IDictionary;
            object Entry(string key) => table != null
                ? table.Keys.Cast<object>().Where(k => string.Equals(Convert.ToString(k, CultureInfo.InvariantCulture), key, StringComparison.OrdinalIgnoreCase))
                       .Select(k => table[k]).FirstOrDefault()
                : input.Properties[key]?.Value;   // a CSV row or another object with these properties
            var typeId = Number(Entry("EntityTypeId")) ?? (Entry("EntityType") is object name ? CrmEntity.Named(Convert.ToString(PSValue.Unwrap(name), CultureInfo.InvariantCulture))?.EntityTypeId : null);
            return typeId is int type && Number(Entry("ID")) is int id ? new CrmOwner(type, id) : (CrmOwner?)null;
        }

        /// <summary>An object of one timeline entry as the portal answered it, numbers and dates typed.</summary>
        protected static PSObject TimelineObject(string typeName, Newtonsoft.Json.Linq.JObject entry)
        {
            var result = new PSObject(new TimelineEntry(entry));
            result.TypeNames.Insert(0, typeName);
            foreach (var property in entry.Properties())
                result.Properties.Add(new PSNoteProperty(property.Name, Typed(property.Name, property.Value)));
            return result;
        }

        private static object Typed(string name, Newtonsoft.Json.Linq.JToken value)
        {
            var text = value.Type == Newtonsoft.Json.Linq.JTokenType.String ? (string)value : null;
            if (text != null && (name == "ID" || name.EndsWith("_ID", StringComparison.Ordinal)) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                return number;
            if (text != null && (name == "COMPLETED") && (text == "Y" || text == "N")) return text == "Y";
            if (text != null && (name == "CREATED" || name == "DEADLINE" || name.EndsWith("_TIME", StringComparison.Ordinal) || name == "LAST_UPDATED") &&
                DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment))
                return moment;
            return PSValue.FromJson(value);
        }

        /// <summary>The entry a piped timeline object was read as (null for anything else).</summary>
        internal static Newtonsoft.Json.Linq.JObject EntryOfObject(PSObject value) => (value?.BaseObject as TimelineEntry)?.Entry;
    }

    /// <summary>The base object of a timeline comment or activity object: what it was read as, no public members.</summary>
    internal sealed class TimelineEntry
    {
        public TimelineEntry(Newtonsoft.Json.Linq.JObject entry) => Entry = entry;

        internal Newtonsoft.Json.Linq.JObject Entry { get; }

        public override string ToString() => "Bitrix24 timeline entry " + (string)Entry["ID"];
    }
}
