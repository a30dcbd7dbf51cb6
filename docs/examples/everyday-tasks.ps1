# Everyday tasks against the sandbox portal: read, patch, bulk edit, import, create, delete.
Connect-Bitrix24 -Sandbox

'--- New leads with a website source:'
Get-B24Lead -Filter @{ STATUS_ID = 'NEW'; SOURCE_ID = 'WEB' } -Select TITLE, STATUS_ID, OPPORTUNITY, CURRENCY_ID

'--- Patch an object: only the changed fields travel.'
$lead = Get-B24Lead -Id 1601
$lead.COMMENTS = 'Called back on Monday'
$lead.OPPORTUNITY = 1500
$lead | Set-B24Lead -Verbose

'--- Bulk edit from a filter, previewed first:'
Get-B24Lead -Filter @{ STATUS_ID = 'NEW' } -Select ID, TITLE, STATUS_ID | Set-B24Lead -StatusId IN_PROCESS -WhatIf
Get-B24Lead -Filter @{ STATUS_ID = 'NEW' } -Select ID, TITLE, STATUS_ID | Set-B24Lead -StatusId IN_PROCESS

'--- Rows as Import-Csv makes them (every value a string; an empty cell leaves the field alone):'
$rows = @(
    [pscustomobject]@{ ID = '1603'; StatusId = 'PROCESSED'; OPPORTUNITY = '2500.00'; COMMENTS = '' }
    [pscustomobject]@{ ID = '1604'; StatusId = 'JUNK'; OPPORTUNITY = ''; COMMENTS = 'duplicate of 1600' }
)
$rows | Set-B24Lead -PassThru

'--- A misspelled field is refused before anything is sent:'
Set-B24Lead -Id 1605 -Fields @{ STATUS = 'NEW' } -ErrorAction SilentlyContinue -ErrorVariable refused
$refused[0].Exception.Message

'--- Create a lead, link contacts, then delete it:'
$new = New-B24Lead -Title 'Trade fair visitor' -Name Olga -Phone '+1 555 0199' -SourceId OTHER -OriginId 'fair-2026-17'
Set-B24LeadContact -Id $new.ID -ContactId 21, 22 -PassThru
Remove-B24Lead -Id $new.ID -Confirm:$false
