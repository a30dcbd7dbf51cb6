using System;
using System.Collections.Generic;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm.Leads;

namespace Bitrix24.PowerShell.Objects
{
    /// <summary>
    /// The base object behind every Bitrix24.Lead: it holds what the lead was read as, and has no public
    /// members, so the only properties a user sees are the lead's fields.
    /// </summary>
    internal sealed class LeadObjectState
    {
        public LeadObjectState(LeadSnapshot snapshot, int? listTotal)
        {
            Snapshot = snapshot;
            ListTotal = listTotal;
        }

        internal LeadSnapshot Snapshot { get; }
        /// <summary>How many leads the list this one came from had: lets Set-B24Lead show a total.</summary>
        internal int? ListTotal { get; }
        public override string ToString() => "Bitrix24 lead " + Snapshot.Id;
    }

    /// <summary>Builds and reads Bitrix24.Lead objects.</summary>
    internal static class LeadObjects
    {
        public const string TypeName = "Bitrix24.Lead";

        public static PSObject Create(LeadSnapshot snapshot, int? listTotal = null)
        {
            var lead = new PSObject(new LeadObjectState(snapshot, listTotal));
            lead.TypeNames.Insert(0, TypeName);
            foreach (var pair in snapshot.TypedValues())
                lead.Properties.Add(new PSNoteProperty(pair.Key, pair.Value));
            return lead;
        }

        public static LeadSnapshot SnapshotOf(PSObject value) => (value?.BaseObject as LeadObjectState)?.Snapshot;

        public static int? ListTotalOf(PSObject value) => (value?.BaseObject as LeadObjectState)?.ListTotal;

        /// <summary>The lead's field properties as they are now (after the user's edits).</summary>
        public static IEnumerable<KeyValuePair<string, object>> CurrentValues(PSObject lead)
        {
            foreach (var property in lead.Properties)
            {
                if (property.MemberType != PSMemberTypes.NoteProperty) continue;
                yield return new KeyValuePair<string, object>(property.Name, PSValue.Unwrap(property.Value));
            }
        }
    }
}
