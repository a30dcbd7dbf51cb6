using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Reads contacts: by id (crm.contact.get), or a filtered list (crm.contact.list) streamed page by page.</summary>
    [Cmdlet(VerbsCommon.Get, "B24Contact", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType("Bitrix24.Contact")]
    public sealed class GetB24ContactCommand : B24GetEntityCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Contact;
    }
}
