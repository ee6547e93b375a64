//! Zhaoshang (招商): investment attraction from the first lead to a factory in production.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod service;
pub mod sheet;
pub mod store;
pub mod web;
